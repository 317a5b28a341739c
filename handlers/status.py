"""The status conversation (its issue fills this in)."""


def register(bot):
    """Register this conversation's handlers on the dispatcher."""
