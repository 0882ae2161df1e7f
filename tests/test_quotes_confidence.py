"""The confidence step: the tagger's probabilities over a statement, the logistic model that
weighs them, and which statements it may drop (never those with quoted words)."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from dateline.models import Quote, QuoteKind
from dateline.stages import quotes_confidence
from dateline.stages.quotes_confidence import (
    FEATURES,
    ConfidenceModel,
    confident,
    features,
    probability,
    read_model,
    statements,
)
from dateline.stages.quotes_neural import LABELS, Reading

OUT, B_SRC, I_SRC, B_CUE, I_CUE, B_CON, I_CON = range(len(LABELS))
# "Ann said the dam holds ." : word-piece offsets of the six tokens and a break token
TEXT = "Ann said the dam holds ."
OFFSETS = [(0, 3), (4, 8), (9, 12), (13, 16), (17, 22), (23, 24), (24, 24)]


def _probs(rows: list[dict[int, float]]) -> np.ndarray:
    out = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
    for i, row in enumerate(rows):
        for label, p in row.items():
            out[i, label] = p
        out[i, OUT] = 1.0 - sum(row.values())
    return out


def _reading(content: float = 0.9, after: float = 0.0) -> Reading:
    """Ann = source, said = cue, "the dam holds" = content with probability ``content``;
    the full stop goes on as content with probability ``after``."""
    probs = _probs(
        [
            {B_SRC: 0.9},
            {B_CUE: 0.8},
            {B_CON: content},
            {I_CON: content},
            {I_CON: content},
            {I_CON: after},
            {},
        ]
    )
    return Reading([], OFFSETS, probs)


BASE = Quote(
    id="",
    article_id="t",
    start=9,
    end=22,
    text="the dam holds",
    kind="indirect",
    speaker_key="ann",
    speaker_text="Ann",
    cue="said",
    speaker_start=0,
    speaker_end=3,
    cue_start=4,
    cue_end=8,
)


def _quote(kind: QuoteKind = "indirect", start: int = 9, end: int = 22, **kw: object) -> Quote:
    return replace(BASE, kind=kind, start=start, end=end, text=TEXT[start:end], **kw)  # type: ignore[arg-type]


def test_role_probability_is_the_mean_over_the_spans_tokens():
    reading = _reading(content=0.6)
    assert reading.role_probability("CON", 9, 22) == pytest.approx(0.6)
    assert reading.role_probability("CUE", 4, 8) == pytest.approx(0.8)
    assert reading.role_probability("SRC", 0, 3) == pytest.approx(0.9)
    # a token only half inside the span is not the span's
    assert reading.role_probability("CON", 10, 22) == pytest.approx(0.6)
    assert reading.role_probability("CON", 10, 12) == 0.0  # no whole token inside


def test_runs_on_is_the_next_tokens_inside_content_probability():
    assert _reading(after=0.7).runs_on(9, 22) == pytest.approx(0.7)
    assert _reading(after=0.7).runs_on(9, 24) == 0.0  # the next token is the break, I-CON 0
    assert Reading([], [], np.zeros((0, len(LABELS)))).runs_on(0, 5) == 0.0


def test_statements_group_fragments_on_one_cue_and_leave_cueless_quotes_apart():
    a = _quote(start=9, end=16)
    b = _quote(start=17, end=22)
    lone1 = _quote(kind="direct", cue=None, cue_start=None, cue_end=None, start=0, end=3)
    lone2 = _quote(kind="direct", cue=None, cue_start=None, cue_end=None, start=4, end=8)
    groups = statements([a, lone1, b, lone2])
    assert [[(q.start, q.end) for q in g] for g in groups] == [
        [(9, 16), (17, 22)],
        [(0, 3)],
        [(4, 8)],
    ]


def test_features_of_a_statement():
    values = features([_quote()], _reading(content=0.6, after=0.2), ruled={(9, 22)})
    named = dict(zip(FEATURES, values, strict=True))
    assert named["from_rules"] == 1.0
    assert named["content"] == pytest.approx(0.6)
    assert named["cue"] == pytest.approx(0.8)
    assert named["source"] == pytest.approx(0.9)
    assert named["speaker"] == 1.0
    assert named["log_chars"] == pytest.approx(math.log(13))
    assert named["runs_on"] == pytest.approx(0.2)
    bare = features(
        [_quote(speaker_text=None, speaker_start=None, speaker_end=None, cue_start=None)],
        _reading(),
        ruled=set(),
    )
    named = dict(zip(FEATURES, bare, strict=True))
    assert (named["from_rules"], named["cue"], named["source"], named["speaker"]) == (
        0.0,
        -1.0,
        -1.0,
        0.0,
    )


# keeps a statement when the tagger reads its words as content (weight on "content" only)
CONTENT_ONLY = ConfidenceModel(weights=(0, 10, 0, 0, 0, 0, 0), bias=-5.0, threshold=0.5)


@pytest.mark.parametrize(
    ("kind", "content", "kept"),
    [
        ("indirect", 0.9, True),
        ("indirect", 0.1, False),
        ("mixed", 0.1, True),  # quoted words are someone's: never dropped
        ("direct", 0.1, True),
    ],
)
def test_confident_drops_only_unsure_statements_without_quoted_words(
    monkeypatch, kind, content, kept
):
    monkeypatch.setattr(quotes_confidence, "load_model", lambda: CONTENT_ONLY)
    q = _quote(kind=kind)
    assert confident([q], _reading(content=content), ruled=set()) == ([q] if kept else [])


def test_confident_keeps_or_drops_a_statement_whole(monkeypatch):
    monkeypatch.setattr(quotes_confidence, "load_model", lambda: CONTENT_ONLY)
    fragments = [_quote(start=9, end=16), _quote(start=17, end=22)]
    assert confident(fragments, _reading(content=0.9), ruled=set()) == fragments
    assert confident(fragments, _reading(content=0.1), ruled=set()) == []


def test_without_a_model_every_statement_is_kept(monkeypatch):
    monkeypatch.setattr(quotes_confidence, "load_model", lambda: None)
    q = _quote()
    assert confident([q], _reading(content=0.0), ruled=set()) == [q]


def test_probability_is_the_logistic_of_the_weighted_sum():
    model = ConfidenceModel(weights=(1, 2, 0, 0, 0, 0, 0), bias=-1.0, threshold=0.5)
    assert probability(model, (1, 0.5, 0, 0, 0, 0, 0)) == pytest.approx(1 / (1 + math.exp(-1)))


def test_read_model_checks_the_feature_names():
    good = {"features": list(FEATURES), "weights": [0] * 7, "bias": 0, "threshold": 0.3}
    assert read_model(json.dumps(good)).threshold == 0.3
    with pytest.raises(ValueError, match="features"):
        read_model(json.dumps({**good, "features": ["content"]}))


def test_the_packaged_model_reads():
    model = quotes_confidence.load_model()
    assert model is not None
    assert len(model.weights) == len(FEATURES)
    assert 0.0 < model.threshold < 1.0


def test_extract_quotes_applies_the_step_with_the_tagger_on(monkeypatch):
    from dateline.models import Article
    from dateline.nlp import load_nlp
    from dateline.settings import Settings
    from dateline.stages.quotes import extract_quotes

    text = 'Mayor Anna Petrova said the bridge is safe. "We will reopen it," she added.'
    nlp = load_nlp()
    art = Article(id="t", source="t", text=text, content_hash="x")

    def kinds(settings: Settings) -> list[str]:
        return [q.kind for q in extract_quotes(art, nlp(text), entities=(), settings=settings)]

    assert kinds(Settings(quote_tagger=True)) == ["indirect", "direct"]
    # a model that keeps nothing it may drop: the reported statement goes, the quotation stays
    keep_none = ConfidenceModel(weights=(0,) * len(FEATURES), bias=-50.0, threshold=0.5)
    monkeypatch.setattr(quotes_confidence, "load_model", lambda: keep_none)
    assert kinds(Settings(quote_tagger=True)) == ["direct"]
    assert kinds(Settings(quote_tagger=False)) == ["indirect", "direct"]  # the rules alone
