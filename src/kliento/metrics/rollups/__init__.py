"""The dashboards' daily rollups: building them (build) and reading metrics from them (reads)."""
