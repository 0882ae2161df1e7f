"""Optional sentence embeddings: the encoder (when the extra is installed) and the quote hook.

The hook tests use a fake encoder, so they run without the extra; the encoder tests skip
cleanly when ``dateline[embeddings]`` is not installed.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from dateline import embeddings
from dateline.corpus import quotematch
from dateline.corpus.quotematch import embeddings_enabled, match_quotes, polarity_differs
from dateline.models import Quote

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quote_pairs.json"
needs_extra = pytest.mark.skipif(not embeddings.available(), reason="embeddings extra missing")

SAME_A = "We are ready to resume negotiations at any moment."
SAME_B = "We are prepared to return to the negotiating table at any time."  # little overlap
OTHER = "The harbour will be reopened to fishing boats before the winter storms."
LIFT = "We will lift the sanctions on Norland next month."
NOT_LIFT = "We will not lift the sanctions on Norland next month."
DAY = {"a": date(2031, 5, 1), "b": date(2031, 5, 2), "c": date(2031, 6, 30)}


def _q(qid: str, text: str, speaker: str | None = "E1") -> Quote:
    return Quote(
        qid, qid.split(":")[0], 0, len(text), text, "direct", None, None, None, speaker=speaker
    )


def _match(quotes: list[Quote], story: dict[str, str | None] | None = None) -> dict[str, tuple]:
    out = match_quotes(
        quotes, speaker_of={q.id: q.speaker for q in quotes}, article_dates=DAY, story_of=story
    )
    return {q.id: q.same_as for q in out}


class _FakeEncoder:
    """Unit vectors chosen per text: SAME_A/SAME_B close, everything else orthogonal."""

    def encode(self, texts):
        out = np.zeros((len(texts), 4), dtype=np.float32)
        for n, t in enumerate(texts):
            if t in (SAME_A, SAME_B):
                out[n] = [1.0, 0.1 if t == SAME_B else 0.0, 0, 0]
            elif t in (LIFT, NOT_LIFT):
                out[n] = [0, 0, 1.0, 0]
            else:
                out[n] = [0, 0, 0, 1.0]
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setenv(quotematch.EMBEDDINGS_ENV, "1")
    monkeypatch.setattr(embeddings, "available", lambda: True)
    monkeypatch.setattr(embeddings, "load_encoder", lambda *a, **k: _FakeEncoder())


@pytest.mark.parametrize(
    ("value", "on"),
    [
        (None, False),
        ("", False),
        ("0", False),
        ("no", False),
        ("1", True),
        ("true", True),
        (" ON ", True),
        ("yes", True),
    ],
)
def test_env_switch(monkeypatch, value, on):
    monkeypatch.delenv(quotematch.EMBEDDINGS_ENV, raising=False)
    if value is not None:
        monkeypatch.setenv(quotematch.EMBEDDINGS_ENV, value)
    assert embeddings_enabled() is on


def test_off_path_never_touches_the_encoder(monkeypatch):
    monkeypatch.delenv(quotematch.EMBEDDINGS_ENV, raising=False)

    def boom(*_a, **_k):
        raise AssertionError("encoder loaded on the default path")

    monkeypatch.setattr(embeddings, "load_encoder", boom)
    got = _match([_q("a:q1", SAME_A), _q("b:q1", SAME_B), _q("a:q2", LIFT), _q("b:q2", NOT_LIFT)])
    assert got["a:q1"] == ()  # the translation needs embeddings
    assert got["a:q2"] == ()  # negated vs affirmed is never one statement, on any path


def test_env_on_without_extra_is_the_lexical_path(monkeypatch):
    quotes = [
        _q("a:q1", SAME_A),
        _q("b:q1", SAME_B),
        _q("a:q2", LIFT),
        _q("b:q2", NOT_LIFT),
        _q("c:q1", OTHER, speaker=None),
        _q("b:q3", OTHER, speaker=None),
    ]
    story = {"a": "s1", "b": "s1", "c": "s1"}
    monkeypatch.delenv(quotematch.EMBEDDINGS_ENV, raising=False)
    baseline = _match(quotes, story)
    monkeypatch.setenv(quotematch.EMBEDDINGS_ENV, "1")
    monkeypatch.setattr(embeddings, "available", lambda: False)
    assert _match(quotes, story) == baseline


def test_encoder_failure_falls_back_to_lexical(monkeypatch):
    monkeypatch.setenv(quotematch.EMBEDDINGS_ENV, "1")
    monkeypatch.setattr(embeddings, "available", lambda: True)

    def broken(*_a, **_k):
        raise RuntimeError("onnx session failed")

    monkeypatch.setattr(embeddings, "load_encoder", broken)
    assert _match([_q("a:q2", LIFT), _q("b:q2", LIFT)])["a:q2"] == ("b:q2",)  # lexical still links


@pytest.mark.parametrize(
    ("quotes", "linked"),
    [
        # translation with little word overlap: linked through the cosine
        ([_q("a:q1", SAME_A), _q("b:q1", SAME_B)], True),
        # same two texts by different speakers: never
        ([_q("a:q1", SAME_A), _q("b:q1", SAME_B, speaker="E2")], False),
        # dates six weeks apart: never
        ([_q("a:q1", SAME_A), _q("c:q1", SAME_B)], False),
        # same article: never
        ([_q("a:q1", SAME_A), _q("a:q2", SAME_B)], False),
        # unknown speakers blocked by story: no embedding links, only lexical ones
        ([_q("a:q1", SAME_A, speaker=None), _q("b:q1", SAME_B, speaker=None)], False),
        # opposite polarity, lexically near-identical: refused
        ([_q("a:q1", LIFT), _q("b:q1", NOT_LIFT)], False),
        # different statement, orthogonal vectors, no lexical overlap
        ([_q("a:q1", SAME_A), _q("b:q1", OTHER)], False),
    ],
)
def test_hook_rules_with_fake_encoder(fake, quotes, linked):
    got = _match(quotes, {"a": "s1", "b": "s1", "c": "s1"})
    assert (got[quotes[0].id] == (quotes[1].id,)) is linked
    assert (got[quotes[1].id] == (quotes[0].id,)) is linked  # symmetric


@pytest.mark.parametrize(
    ("a", "b", "differs"),
    [
        (LIFT, NOT_LIFT, True),
        ("We won't lift the sanctions.", LIFT, True),
        ("Veloria will never forget its friends.", "Veloria will not forget its friends.", False),
        (SAME_A, SAME_B, False),
        # a verbatim trim that drops the negation is still the same quote
        (
            "Karsk has never interfered in the affairs of Veloria",
            "interfered in the affairs",
            False,
        ),
        # one stops what the other carries on: opposite statements without a "not"
        (
            "The mine will keep operating through the winter.",
            "The mine will halt operations through the winter.",
            True,
        ),
        ("Exports were suspended on Monday.", "Exports continued on Monday.", True),
        # both carry on, or both stop: the same direction
        ("Norland will keep delivering wheat.", "Norland will continue to deliver wheat.", False),
        ("The plant stopped production.", "Production at the plant was halted.", False),
    ],
)
def test_polarity_differs(a, b, differs):
    assert polarity_differs(a, b) is differs


def test_missing_extra_error_names_the_pip_extra(monkeypatch, tmp_path):
    monkeypatch.setenv(embeddings.MODEL_ENV, str(tmp_path / "absent.onnx"))
    embeddings.load_encoder.cache_clear()
    try:
        assert embeddings.available() is False
        with pytest.raises(embeddings.EmbeddingsUnavailable, match=r"dateline\[embeddings\]"):
            embeddings.load_encoder()
    finally:
        embeddings.load_encoder.cache_clear()


@needs_extra
def test_encoder_vectors_are_unit_and_deterministic():
    enc = embeddings.load_encoder()
    assert embeddings.load_encoder() is enc  # cached once per process
    texts = [SAME_A, SAME_B, OTHER, ""]
    v = enc.encode(texts)
    assert v.shape == (4, embeddings.DIMENSION)
    assert v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    # batch composition and order do not change a text's vector
    np.testing.assert_allclose(enc.encode([OTHER, SAME_A])[1], v[0], atol=1e-5)
    assert enc.encode([]).shape == (0, embeddings.DIMENSION)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.3


@needs_extra
def test_fixture_pairs_precision_and_recall(monkeypatch):
    pairs = json.loads(FIXTURES.read_text(encoding="utf-8"))["pairs"]
    monkeypatch.setenv(quotematch.EMBEDDINGS_ENV, "1")
    texts = [t for p in pairs for t in (p["a"], p["b"])]
    quotes = [_q(f"{'ab'[n % 2]}:q{n}", t) for n, t in enumerate(texts)]
    # one block per pair: the same speaker within a pair, a different one across pairs
    quotes = [
        Quote(**{**{f: getattr(q, f) for f in Quote.__slots__}, "speaker": f"E{n // 2}"})
        for n, q in enumerate(quotes)
    ]
    got = _match(quotes)
    linked = [quotes[2 * k + 1].id in got[quotes[2 * k].id] for k in range(len(pairs))]
    tp = sum(lk and p["same"] for lk, p in zip(linked, pairs, strict=True))
    fp = sum(lk and not p["same"] for lk, p in zip(linked, pairs, strict=True))
    positives = sum(p["same"] for p in pairs)
    assert fp <= 1, "hard negatives by the same speaker linked"
    assert tp / positives >= 0.65
