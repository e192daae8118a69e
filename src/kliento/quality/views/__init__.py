"""Pages of quality control, one module per concept."""
