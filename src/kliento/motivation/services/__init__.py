"""Writes of the motivation app (schemes, statements, recognition)."""
