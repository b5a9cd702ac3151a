"""The analytic core: computed similarity, recurring claims, discovered narratives, timelines, match.

Everything here reads the graph through `GraphStore` and writes back through it, so it works the
same on either store.
"""
