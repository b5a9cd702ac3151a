"""The `narratives` command line."""
