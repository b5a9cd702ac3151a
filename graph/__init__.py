"""The graph: ontology, records, and the stores that hold them."""
