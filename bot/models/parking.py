"""Models of the parking feature (its issue fills this in)."""
