"""Per-document caches for spaCy properties that are rebuilt on every access.

``Doc.text`` joins every token's text each time it is read (O(tokens)), and ``Doc.sents``
walks every token too. Stages that read them once per entity, cue or event turn an
O(n) article into O(n^2); these helpers compute each once per doc. The cache holds one
doc, by weak reference, so it never keeps a parse alive or mixes two docs up.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

_last_text: tuple[weakref.ref[Doc], str] | None = None
_last_sents: tuple[weakref.ref[Doc], tuple[tuple[int, int], ...]] | None = None


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc (a doc's text never changes)."""
    global _last_text
    last = _last_text
    if last is not None and last[0]() is doc:
        return last[1]
    text = doc.text
    _last_text = (weakref.ref(doc), text)
    return text


def sentence_chars(doc: Doc) -> tuple[tuple[int, int], ...]:
    """``(start_char, end_char)`` of each of ``doc.sents``, computed once per doc.

    Raises:
        ValueError: like ``doc.sents``, when the doc has no sentence boundaries.
    """
    global _last_sents
    last = _last_sents
    if last is not None and last[0]() is doc:
        return last[1]
    bounds = tuple((s.start_char, s.end_char) for s in doc.sents)
    _last_sents = (weakref.ref(doc), bounds)
    return bounds
