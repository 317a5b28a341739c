"""Models of the reports feature (its issue fills this in)."""
