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
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (
        stripped.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .casefold()
    )
