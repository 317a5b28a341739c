"""Models of the staff feature (its issue fills this in)."""
