"""Understanding citizens' messages. Pure: no Flask, no database, data files loaded once.

(Minimal placeholder until the nlp issue lands: keyword rules only.)
"""

from dataclasses import dataclass, field


@dataclass
class Understanding:
    intent: str | None
    confidence: float = 0.0
    category: str | None = None
    department: str | None = None
    entities: dict = field(default_factory=dict)


def load():
    """Load tokenizer and tables (once per process)."""


def understand(text):
    """Intent, category and entities of one message."""
    if any(word in text for word in ("帮助", "怎么用")):
        return Understanding("help", 0.9)
    return Understanding(None, 0.0)
