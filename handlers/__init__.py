"""Conversations, one module each. Every module has register(dispatcher); some have warm_up()."""

import importlib

from bot.chat.dispatch import Dispatcher

# Order matters for text commands: earlier modules' commands are tried first; common is last
# because it holds the fallback.
MODULES = ("status", "supervisor", "quiz", "report", "parking", "garbage", "common")


def _modules():
    return [importlib.import_module(f"handlers.{name}") for name in MODULES]


def build_dispatcher():
    """A fresh dispatcher with every conversation registered (one per app)."""
    dispatcher = Dispatcher()
    for module in _modules():
        module.register(dispatcher)
    return dispatcher


def warm_up(session=None):
    """Load tokenizers and indexes before the first citizen's message, once per process."""
    import nlp

    nlp.load()
    for module in _modules():
        if hasattr(module, "warm_up"):
            module.warm_up(session)
