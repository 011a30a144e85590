"""Question understanding: what kind of question it is, what its words also mean, and
what kind of answer it wants. Pure functions over the index's compiled knowledge."""
