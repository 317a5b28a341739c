"""Models of the garbage feature (its issue fills this in)."""
