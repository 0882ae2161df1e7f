"""The quote content tagger: decoder, features, and the promise that quotations stay as they are."""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import replace

import pytest

from dateline.models import Article, ArticleEntity, EntityMention, Quote
from dateline.nlp import load_nlp
from dateline.settings import Settings
from dateline.stages import quotes_neural, quotes_tagger
from dateline.stages.quotes import extract_quotes, stack_base
from dateline.stages.quotes_candidates import Candidate
from dateline.stages.quotes_tagger import (
    TaggerModel,
    combine,
    decode_spans,
    read_tagger,
    sequences,
    token_features,
    viterbi,
)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _entities(doc) -> tuple[ArticleEntity, ...]:
    out = []
    for n, ent in enumerate(doc.ents):
        if ent.label_ in {"PERSON", "ORG", "GPE"}:
            m = EntityMention(ent.start_char, ent.end_char, ent.text, ent.label_, f"e{n}")
            out.append(ArticleEntity(f"e{n}", ent.text, ent.label_, (ent.text,), mentions=(m,)))
    return tuple(out)


def _quotes(nlp, text: str, *, tagger: bool) -> tuple[Quote, ...]:
    """The rules with (``tagger``) or without this CRF content tagger; the attribution
    tagger (``quotes_neural``, tested in test_quotes_neural.py) stays off here."""
    doc = nlp(text)
    art = Article(id="t", source="t", text=text, content_hash="x")
    settings = Settings(quote_tagger=False)
    return extract_quotes(art, doc, entities=_entities(doc), tagger=tagger, settings=settings)


# ---------------------------------------------------------------- what the CRF stacks on
# the attribution tagger reads two statements here that the rules do not ("rose to the
# defense of", "panned"): what the CRF is trained on must not hold them
STACKED = (
    "Senator Ana Ruiz rose to the defense of the budget plan on Tuesday. "
    "Critics panned the proposal as reckless."
)


def test_stack_base_is_what_the_crf_reads_at_run_time(nlp, monkeypatch):
    """Training data for the CRF (``stack_base``) and the quotes it stacks on inside
    ``extract_quotes`` are the same, whatever the attribution tagger's setting."""
    seen: list[tuple[Quote, ...]] = []
    real_tag = quotes_tagger.tag

    def spy(doc, text, quotes, scored, model):
        seen.append(tuple(quotes))
        return real_tag(doc, text, quotes, scored, model)

    monkeypatch.setattr(quotes_tagger, "tag", spy)
    doc = nlp(STACKED)
    art = Article(id="t", source="t", text=STACKED, content_hash="x")
    extract_quotes(art, doc, entities=_entities(doc))  # the defaults: both taggers
    assert seen, "the CRF layer did not run"
    assert seen[0] == stack_base(art, doc, entities=_entities(doc))


def test_stack_base_never_runs_the_attribution_tagger(nlp, monkeypatch):
    def refuse():
        raise AssertionError("the attribution tagger ran while stacking")

    monkeypatch.setattr(quotes_neural, "load", refuse)
    doc = nlp(STACKED)
    art = Article(id="t", source="t", text=STACKED, content_hash="x")
    quotes = stack_base(art, doc, entities=_entities(doc))  # refuse() would raise
    assert all(q.cue not in {"rose to the defense of", "panned"} for q in quotes)


# ---------------------------------------------------------------- decoder


def _toy_model(rng: random.Random) -> TaggerModel:
    labels = ["O", "B", "I"]
    raw = {
        "labels": labels,
        "transitions": {a: {b: rng.uniform(-2, 2) for b in labels} for a in labels},
        "state": {f"f{i}": {lab: rng.uniform(-3, 3) for lab in labels} for i in range(6)},
    }
    model = read_tagger(json.dumps(raw))
    assert model is not None
    return model


def _score(model: TaggerModel, feats: list[list[str]], path: tuple[str, ...]) -> float:
    ix = {lab: i for i, lab in enumerate(model.labels)}
    total = 0.0
    for k, (fs, y) in enumerate(zip(feats, path, strict=True)):
        total += sum(w for f in fs for lab, w in model.state.get(f, ()) if lab == ix[y])
        if k:
            total += model.transitions[ix[path[k - 1]]][ix[y]]
    return total


def test_viterbi_matches_brute_force():
    rng = random.Random(7)
    for _ in range(40):
        model = _toy_model(rng)
        n = rng.randint(1, 5)
        feats = [rng.sample([f"f{i}" for i in range(7)], rng.randint(0, 3)) for _ in range(n)]
        best = max(itertools.product(model.labels, repeat=n), key=lambda p: _score(model, feats, p))
        got = tuple(viterbi(model, feats))
        assert _score(model, feats, got) == pytest.approx(_score(model, feats, best))


def test_viterbi_empty_and_bad_model():
    model = _toy_model(random.Random(1))
    assert viterbi(model, []) == []
    assert read_tagger("{not json") is None
    assert read_tagger(json.dumps({"labels": ["O"]})) is None


def test_decode_joins_continuation(nlp):
    doc = nlp("Prices will rise, he said, and wages will not.")
    labels = {t.i: "O" for t in doc}
    labels.update({0: "B", 1: "I", 2: "I"})  # Prices will rise
    labels.update({7: "C", 8: "I", 9: "I", 10: "I"})  # and wages will not
    assert decode_spans(doc, labels) == [[(0, 3), (7, 11)]]


# ---------------------------------------------------------------- features


def test_features_deterministic(nlp):
    text = 'The council "will not bow to pressure," Mayor Lena Ortiz said on Friday.\n\nIt met.'
    doc = nlp(text)
    quotes = _quotes(nlp, text, tagger=False)
    a = token_features(doc, text, quotes, [])
    b = token_features(doc, text, quotes, [])
    assert a == b
    assert len(a) == len(doc)
    assert "-1:BOD" in a[0]
    assert "-2:BOD" in a[0]
    assert all("bias" in fs for fs in a)
    inside = next(t.i for t in doc if t.text == "bow")
    assert "q=1" in a[inside]
    assert "Q=mixed|speech|spk" in a[inside]  # the extractor reads it as a mixed quote
    seqs = sequences(doc)
    assert len(seqs) == 2  # one CRF sequence per paragraph
    assert [doc[i].text for i in seqs[1]] == ["It", "met", "."]


# ---------------------------------------------------------------- combination


def _quote(text: str, start: int, end: int, kind: str, speaker: str | None = None) -> Quote:
    sp = text.index(speaker) if speaker else None
    return Quote(
        id=f"t:{start}",
        article_id="t",
        start=start,
        end=end,
        text=text[start:end],
        kind=kind,  # type: ignore[arg-type]
        speaker_key=None,
        speaker_text=speaker,
        cue="said",
        speaker_start=sp,
        speaker_end=sp + len(speaker) if sp is not None and speaker else None,
        cue_start=text.index("said"),
        cue_end=text.index("said") + 4,
    )


def test_combine_never_touches_direct_quotes(nlp):
    text = 'Lena Ortiz said "the bridge is safe" and the road will reopen soon.'
    doc = nlp(text)
    s = text.index("the bridge")
    direct = _quote(text, s, s + len("the bridge is safe"), "direct", "Lena Ortiz")
    # a tagged span from "the" (inside the quotation) to the end of the sentence
    first = next(t.i for t in doc if t.idx == s)
    kept, new = combine(doc, text, [direct], [[(first, len(doc) - 1)]], [])
    assert kept == [direct]
    assert new == []


def test_combine_replaces_indirect_keeping_speaker(nlp):
    text = "Lena Ortiz said the bridge is safe and the road will reopen soon."
    doc = nlp(text)
    s = text.index("the bridge")
    indirect = _quote(text, s, text.index(" and"), "indirect", "Lena Ortiz")
    first = next(t.i for t in doc if t.idx == s)
    kept, new = combine(doc, text, [indirect], [[(first, len(doc) - 1)]], [])
    assert new == []
    assert len(kept) == 1
    q = kept[0]
    assert q.text == "the bridge is safe and the road will reopen soon"
    assert (q.speaker_text, q.cue, q.kind) == ("Lena Ortiz", "said", "indirect")


def test_combine_new_span_needs_a_speaker(nlp):
    text = "The road will reopen soon, Lena Ortiz believes."
    doc = nlp(text)
    span = [(0, 5)]  # The road will reopen soon
    kept, new = combine(doc, text, [], [span], [])
    assert kept == []
    assert new == []
    verb = next(t.i for t in doc if t.text == "believes")
    cand = Candidate(verb, "ccomp", (0, 5), (6, 8))
    kept, new = combine(doc, text, [], [span], [(0.6, cand)])
    assert new == [([(0, len("The road will reopen soon"))], cand)]
    # too improbable a candidate gives no speaker
    assert combine(doc, text, [], [span], [(0.05, cand)])[1] == []


# ---------------------------------------------------------------- the shipped model

_DIRECT = [
    '"We will rebuild every school by spring," Governor Mara Quill said on Tuesday.',
    'Tomas Reyes, the union leader, said: "Nobody asked the workers what they wanted."',
    '"It is too early," said the port director, Ines Okafor. "But the cranes are moving."',
    'The minister called the deal "a betrayal of the farmers" and left the room.',
    'Analysts expect prices to climb. "Storage is almost full," said trader Jun Park, '
    "who has worked in the market for twenty years.",
]


@pytest.mark.skipif(quotes_tagger.load_tagger() is None, reason="no shipped tagger model")
@pytest.mark.parametrize("text", _DIRECT)
def test_tagger_never_changes_quotations(nlp, text):
    def marked(quotes: tuple[Quote, ...]) -> list[tuple]:
        return [
            (q.start, q.end, q.kind, q.speaker_text, q.cue)
            for q in quotes
            if q.kind in {"direct", "mixed"}
        ]

    base = _quotes(nlp, text, tagger=False)
    with_tagger = _quotes(nlp, text, tagger=True)
    assert marked(base)
    assert marked(with_tagger) == marked(base)
    assert [q.id for q in with_tagger] == [f"t:q{n}" for n in range(1, len(with_tagger) + 1)]


def test_combine_keeps_content_holding_its_cue(nlp):
    text = "This budget, she said, is different."
    doc = nlp(text)
    whole = _quote(text, 0, len(text) - 1, "indirect", "she")
    # the tagger, following PolNeAR, would keep only "is different"
    first = next(t.i for t in doc if t.text == "is")
    kept, new = combine(doc, text, [whole], [[(first, len(doc) - 1)]], [])
    assert kept == [whole]
    assert new == []


def test_combine_new_span_refuses_action_cues(nlp):
    text = "The two banks signed eleven agreements in the capital."
    doc = nlp(text)
    verb = next(t.i for t in doc if t.text == "signed")
    cand = Candidate(verb, "dobj", (verb + 1, len(doc) - 1), (0, verb))
    span = [(verb + 1, len(doc) - 1)]
    assert combine(doc, text, [], [span], [(0.9, cand)]) == ([], [])


@pytest.mark.skipif(quotes_tagger.load_tagger() is None, reason="no shipped tagger model")
@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "The union accused the company of cutting wages in secret.",
            "the company of cutting wages in secret",
        ),
        (
            "Neighbours accused the landlord of ignoring the broken heating for months.",
            "the landlord of ignoring the broken heating for months",
        ),
    ],
)
def test_tagger_takes_the_accused_into_the_content(nlp, text, content):
    """PolNeAR's "accuse X of Y" content holds X; the rules alone start at "of"'s object."""
    base = _quotes(nlp, text, tagger=False)
    tagged = _quotes(nlp, text, tagger=True)
    assert [q.text for q in base] == [content.split(" of ", 1)[1]]
    assert [(q.text, q.kind, q.cue) for q in tagged] == [(content, "indirect", "accused")]
    assert tagged[0].speaker_text == base[0].speaker_text


def _tagged_over(doc, text: str, start: str, end: str) -> list[tuple[int, int]]:
    a = next(t.i for t in doc if t.idx == text.index(start))
    b = next(t.i for t in doc if t.idx + len(t.text) == text.index(end) + len(end))
    return [(a, b + 1)]  # token fragments end exclusive


@pytest.mark.parametrize(
    ("tagged_from", "content"),
    [
        # the tagger starts later: the start after the cue stays (no lead words lost)
        ("investments", "Venezuela expects new investments in oil"),
        # outwards, up to the cue: an object joins the content
        ("Venezuela", "Venezuela expects new investments in oil"),
        # over the cue: refused, the rules' start stays
        ("Ortiz", "Venezuela expects new investments in oil"),
    ],
)
def test_replaced_content_keeps_its_cue_side_edge(nlp, tagged_from, content):
    text = "Lena Ortiz said Venezuela expects new investments in oil this year."
    doc = nlp(text)
    s = text.index("Venezuela")
    indirect = _quote(text, s, text.index(" this year"), "indirect", "Lena Ortiz")
    kept, _new = combine(doc, text, [indirect], [_tagged_over(doc, text, tagged_from, "oil")], [])
    assert [q.text for q in kept] == [content]


def test_replaced_content_keeps_the_edge_before_a_postposed_cue(nlp):
    text = "Oil output will rise this year, Lena Ortiz said on Monday."
    doc = nlp(text)
    indirect = _quote(text, 0, text.index(","), "indirect", "Lena Ortiz")
    # the tagger stops early (inwards of the edge before "said"): the end stays
    kept, _new = combine(doc, text, [indirect], [_tagged_over(doc, text, "Oil", "rise")], [])
    assert [q.text for q in kept] == ["Oil output will rise this year"]


def _with_cue(q: Quote, text: str, cue_at: int, cue: str, speaker: str) -> Quote:
    sp = text.index(speaker)
    return replace(
        q,
        cue=cue,
        cue_start=cue_at,
        cue_end=cue_at + len(cue),
        speaker_text=speaker,
        speaker_start=sp,
        speaker_end=sp + len(speaker),
    )


def test_combine_keeps_sibling_statements_apart(nlp):
    # one tagged content over two speakers' statements must not give one cue to both
    text = "Lena Ortiz said the bridge is safe, and Tom Reyes said the road will reopen soon."
    doc = nlp(text)
    a, b = text.index("the bridge"), text.index("the road")
    first = _quote(text, a, text.index(","), "indirect", "Lena Ortiz")
    second = _with_cue(
        _quote(text, b, len(text) - 1, "indirect"),
        text,
        text.index("said the road"),
        "said",
        "Tom Reyes",
    )
    start = next(t.i for t in doc if t.idx == a)
    kept, new = combine(doc, text, [first, second], [[(start, len(doc) - 1)]], [])
    assert sorted(kept, key=lambda q: q.start) == [first, second]
    assert new == []


def test_combine_folds_a_nested_statement_into_the_outer_one(nlp):
    text = "Lena Ortiz said the council felt the bridge is safe."
    doc = nlp(text)
    outer = _quote(text, text.index("the council"), len(text) - 1, "indirect", "Lena Ortiz")
    inner = _with_cue(
        _quote(text, text.index("the bridge"), len(text) - 1, "indirect"),
        text,
        text.index("felt"),
        "felt",
        "the council",
    )
    start = next(t.i for t in doc if t.text == "council") - 1
    kept, _new = combine(doc, text, [outer, inner], [[(start, len(doc) - 1)]], [])
    assert [(q.speaker_text, q.cue, q.text) for q in kept] == [
        ("Lena Ortiz", "said", "the council felt the bridge is safe")
    ]


def test_a_new_content_keeps_to_its_side_of_the_cue(nlp):
    from dateline.stages.quotes_trim import beside_cue

    text = "Perhaps he did not have to worry about Trump belittling his every comment."
    doc = nlp(text)
    verb = next(t.i for t in doc if t.text == "belittling")
    after = Candidate(verb, "dobj", (verb + 1, len(doc) - 1), (verb - 1, verb))
    start = text.index("Trump")
    end = text.index(".")
    s, e = beside_cue(doc, after, start, end)
    assert text[s:e] == "his every comment"
    before = Candidate(verb, "up:ccomp", (verb - 1, verb), None)
    s, e = beside_cue(doc, before, start, end)
    assert text[s:e].strip() == "Trump"
    untouched = (text.index("his"), end)
    assert beside_cue(doc, after, *untouched) == untouched


def test_tagged_content_never_holds_its_own_speaker_and_cue(nlp):
    text = (
        "The former governor had one of his best debates, perhaps benefiting from not "
        "having to worry about Trump belittling his every comment. And Paul returned."
    )
    quotes = _quotes(nlp, text, tagger=True)
    assert not any(q.text.startswith("Trump belittling") for q in quotes)
    assert ("Trump", "belittling", "his every comment") in [
        (q.speaker_text, q.cue, q.text) for q in quotes
    ]
