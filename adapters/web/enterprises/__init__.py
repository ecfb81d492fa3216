"""Pages of the enterprises family (S4–S6)."""
