"""Which reported statements to keep: a small logistic model over how the tagger reads them.

The rules, the learned cue model and the attribution tagger (``quotes_neural``) each draw
statements; some are readings nobody gave ("Schilling pitched seven innings", "enjoys a
strong lead", the tail of a sentence cut as a content of its own). The tagger's token
probabilities say how sure it is of each statement, including those it did not draw itself:
this model weighs them (content, cue and source probabilities, whether the words run on past
the content, whether the rules read the same span, the content's length and whether it has
a speaker) into the probability that the statement is an attribution as PolNeAR's
annotators mark them, and drops the statements under ``threshold``.

Statements with quoted words (direct and mixed quotes) are always kept: words in quotation
marks were said by someone, whatever the annotators chose to mark, and dropping a mixed
quote would lose them.

The weights (``data/quote_tagger/confidence.json``) are fit by
``benchmarks/train_quote_confidence.py`` on the statements a tagger trained without the
every-6th PolNeAR train articles draws on those articles, so they belong to the packaged
tagger: the probabilities of another model file (``$DATELINE_QUOTE_TAGGER``) may call for
other weights. Without the file (or without the tagger) every statement is kept.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from dateline.models import Quote
from dateline.stages.quotes_neural import Reading

MODEL_FILE = "confidence.json"
FEATURES = ("from_rules", "content", "cue", "source", "speaker", "log_chars", "runs_on")


@dataclass(frozen=True, slots=True)
class ConfidenceModel:
    """Logistic weights over ``FEATURES`` (raw values, no scaling) and the keep threshold."""

    weights: tuple[float, ...]
    bias: float
    threshold: float


def read_model(text: str) -> ConfidenceModel:
    """The model from its JSON (``{"features", "weights", "bias", "threshold"}``)."""
    data = json.loads(text)
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"confidence model features {data['features']} are not {FEATURES}")
    return ConfidenceModel(
        tuple(float(w) for w in data["weights"]), float(data["bias"]), float(data["threshold"])
    )


@functools.lru_cache(maxsize=1)
def load_model() -> ConfidenceModel | None:
    """The packaged model, or None when the file is missing (every statement is kept)."""
    path = Path(str(resources.files("dateline").joinpath("data", "quote_tagger", MODEL_FILE)))
    if not path.is_file():
        return None
    return read_model(path.read_text(encoding="utf-8"))


def statement_key(q: Quote) -> tuple[str, int | None, int | None]:
    """Which statement a quote is a fragment of: fragments of one statement share cue and
    speaker; a quote with no cue is a statement of its own (by its span, so that the key
    holds before quotes are numbered). The benchmark groups quotes the same way."""
    if q.cue_start is not None:
        return ("cue", q.cue_start, q.speaker_start)
    return ("at", q.start, q.end)


def statements(quotes: Sequence[Quote]) -> list[list[Quote]]:
    """Quotes grouped into statements (``statement_key``), in first-fragment order."""
    groups: dict[tuple[str, int | None, int | None], list[Quote]] = {}
    for q in quotes:
        groups.setdefault(statement_key(q), []).append(q)
    return list(groups.values())


def has_quoted_words(statement: Sequence[Quote]) -> bool:
    """A direct or mixed fragment: the statement is kept whatever the model says."""
    return any(q.kind != "indirect" for q in statement)


def features(
    statement: Sequence[Quote], reading: Reading, ruled: Collection[tuple[int, int]]
) -> tuple[float, ...]:
    """``FEATURES`` of one statement; ``ruled`` holds the (start, end) of the rules' quotes."""
    first = statement[0]
    chars = sum(q.end - q.start for q in statement)
    content = sum(
        reading.role_probability("CON", q.start, q.end) * (q.end - q.start) for q in statement
    ) / max(chars, 1)
    cue = (
        reading.role_probability("CUE", first.cue_start, first.cue_end)
        if first.cue_start is not None and first.cue_end is not None
        else -1.0
    )
    source = (
        reading.role_probability("SRC", first.speaker_start, first.speaker_end)
        if first.speaker_start is not None and first.speaker_end is not None
        else -1.0
    )
    last = max(statement, key=lambda q: q.end)
    return (
        sum((q.start, q.end) in ruled for q in statement) / len(statement),
        content,
        cue,
        source,
        float(first.speaker_text is not None),
        math.log(max(chars, 1)),
        reading.runs_on(last.start, last.end),
    )


def probability(model: ConfidenceModel, values: Sequence[float]) -> float:
    """The model's probability that a statement with these feature values is one."""
    z = model.bias + sum(w * v for w, v in zip(model.weights, values, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def confident(
    quotes: Sequence[Quote], reading: Reading, ruled: Collection[tuple[int, int]]
) -> list[Quote]:
    """The quotes of the statements the model keeps: all those with quoted words, and all of
    them without a model."""
    model = load_model()
    if model is None:
        return list(quotes)
    out: list[Quote] = []
    for statement in statements(quotes):
        if has_quoted_words(statement) or (
            probability(model, features(statement, reading, ruled)) >= model.threshold
        ):
            out.extend(statement)
    return out
