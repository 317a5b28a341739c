"""Conversations, one module each; every module has register(dispatcher)."""

from handlers import common, garbage, parking, quiz, report, status, supervisor

# Order matters for text commands: earlier modules' commands are tried first; common is last
# because it holds the fallback.
MODULES = (status, supervisor, quiz, report, parking, garbage, common)


def register(dispatcher):
    """Register every conversation with the app's dispatcher (one per app)."""
    for module in MODULES:
        module.register(dispatcher)
