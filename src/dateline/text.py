"""Text normalisation and hashing: the stored text is the published text, NFC-normalised."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_text(text: str) -> str:
    """Normalise Unicode to NFC, line endings to ``\\n`` and drop NUL/control bytes.

    Everything else (quotes, dashes, spacing inside lines) stays as published, because every
    offset in the output indexes this text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = text.lstrip("\ufeff")
    return unicodedata.normalize("NFC", text)


def content_hash(text: str) -> str:
    """A stable hash of the normalised text; identical articles hash alike."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fold(text: str) -> str:
    """Fold accents, case and typographic quotes for matching (never for storing)."""
    decomposed = (
        unicodedata.normalize("NFKD", text)
        .replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )
    # Only non-ASCII characters can be combining marks, and with typographic quotes folded
    # most news text is ASCII: folding runs over every sentence of the corpus, and a
    # per-character filter over all of it was the corpus stage's largest cost.
    stripped = decomposed if decomposed.isascii() else _NON_ASCII.sub(_drop_mark, decomposed)
    return stripped.casefold()


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _drop_mark(match: re.Match[str]) -> str:
    return "".join(c for c in match.group() if not unicodedata.combining(c))
