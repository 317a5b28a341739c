"""Models of the quiz feature (its issue fills this in)."""
