"""A writable directory for caches that make a worker start fast (jieba, pinyin)."""

import marshal
import os
import tempfile
from pathlib import Path


def cache_dir():
    """jinguanjia/ under $JJ_NLP_CACHE, $XDG_CACHE_HOME or ~/.cache (the temp dir if none is writable)."""
    base = os.environ.get("JJ_NLP_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "jinguanjia"
    try:
        path.mkdir(parents=True, exist_ok=True)
        return str(path)
    except OSError:
        return tempfile.gettempdir()


def cached(name, build):
    """The value stored under name in the cache directory, built (and stored) on first use.

    Values are plain data written with marshal; a corrupt or unreadable file is rebuilt.
    """
    path = Path(cache_dir()) / name
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = build()
    try:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(value))
        tmp.replace(path)  # atomic: concurrent workers never read half a file
    except OSError:
        pass
    return value
