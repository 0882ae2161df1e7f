"""Content boundaries (shapes), non-verbal cues, parenthetical "according to" (invented text)."""

from __future__ import annotations

import pytest

from dateline.models import Article
from dateline.nlp import load_nlp
from dateline.stages.quotes import extract_quotes
from dateline.stages.quotes_candidates import Candidate, base_candidates, shapes_of
from dateline.stages.quotes_cues import cue_class
from dateline.stages.quotes_learned import (
    SHAPE_FLOOR,
    best_shape,
    load_model,
    read_model,
    scored_candidates,
    shape_table,
)
from dateline.stages.quotes_marks import find_quoted_spans

# each test with the rules alone and with the attribution tagger (conftest.quote_mode)
pytestmark = pytest.mark.usefixtures("quote_mode")


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _shapes(nlp, text: str, cue_word: str) -> dict[str, str]:
    """shape -> content text for the candidates of ``cue_word`` (first complement with shapes)."""
    doc = nlp(text)
    for base in base_candidates(doc):
        if doc[base.cue].text != cue_word:
            continue
        found = {c.shape: doc[c.content[0] : c.content[1]].text for c in shapes_of(doc, base)}
        if found:
            return {"base": doc[base.content[0] : base.content[1]].text, **found}
    return {}


def _quotes(nlp, text: str):
    art = Article(id="t", source="t", text=text, content_hash="x")
    quotes = extract_quotes(art, nlp(text), entities=())
    for q in quotes:
        assert text[q.start : q.end] == q.text
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    return quotes


@pytest.mark.parametrize(
    ("text", "cue", "shape", "content"),
    [
        (  # a clause conjoined to the cue still belongs to what was said
            "The senator said the plan was fair, but required more work from the committee.",
            "said",
            "conj",
            "the plan was fair, but required more work from the committee",
        ),
        (  # a second verb with its own object: maybe a second attribution, so a cut shape
            "The mayor said she has no plans to change her vote and would not name any issue.",
            "said",
            "cut",
            "she has no plans to change her vote",
        ),
        (  # trailing phrases the parser hangs on the cue verb
            "The agency reported a 3 percent jobless rate in June, the lowest in a decade.",
            "reported",
            "tail",
            "a 3 percent jobless rate in June, the lowest in a decade",
        ),
        (
            "The agency reported a 3 percent jobless rate in June, the lowest in a decade.",
            "reported",
            "tail1",
            "a 3 percent jobless rate in June",
        ),
        (  # the writer's gloss after a comma
            "The minister cited the report, a study of rural clinics that found long waits.",
            "cited",
            "gloss",
            "the report",
        ),
    ],
)
def test_boundary_shapes(nlp, text, cue, shape, content):
    assert _shapes(nlp, text, cue).get(shape) == content


@pytest.mark.parametrize(
    ("text", "cue", "absent"),
    [
        ("The senator said the plan was fair.", "said", "conj"),
        ("The senator said the plan was fair.", "said", "cut"),
        ("The mayor said that the vote would wait.", "said", "tail"),
        ("The minister cited the report on rural clinics.", "cited", "gloss"),
    ],
)
def test_no_shape_without_its_construction(nlp, text, cue, absent):
    assert absent not in _shapes(nlp, text, cue)


def _cand(doc, cue: int, span: tuple[int, int], shape: str = "base", base_end: int = -1):
    return Candidate(cue, "dobj", span, None, shape, base_end)


@pytest.mark.parametrize(
    ("base_p", "shape_p", "moved"),
    [(0.4, 0.6, True), (0.6, 0.4, False), (0.5, 0.5, False)],
)
def test_best_shape_takes_the_better_scored_boundary(nlp, base_p, shape_p, moved):
    text = "The agency reported a jobless rate in June."
    doc = nlp(text)
    cue = next(t.i for t in doc if t.text == "reported")
    rate = next(t.i for t in doc if t.text == "rate")
    june = next(t.i for t in doc if t.text == "June")
    base = _cand(doc, cue, (cue + 1, rate + 1))
    tail = _cand(doc, cue, (cue + 1, june + 1), "tail1", rate + 1)
    table = shape_table(doc, [(base_p, base), (shape_p, tail)])
    rule = (doc[cue + 1].idx, doc[rate].idx + len(doc[rate].text))
    got = best_shape(table, cue, rule)
    if moved:
        assert got is not None
        assert text[got[0] : got[1]] == "a jobless rate in June"
    else:
        assert got is None
    # a rule content that is not one of the model's candidates keeps its own boundary
    assert best_shape(table, cue, (rule[0] + 2, rule[1])) is None


def test_shapes_scored_only_for_plausible_candidates(nlp):
    doc = nlp(
        "The agency reported a jobless rate in June, and the mayor drove a truck to the market "
        "in the rain, while officials said the plan was fair, but required more work."
    )
    scored = scored_candidates(doc)
    assert scored
    base_p = {(c.cue, c.rel, c.content): p for p, c in scored if c.shape == "base"}
    for _p, c in scored:
        if c.shape != "base":
            base = next(
                p
                for (cue, rel, span), p in base_p.items()
                if cue == c.cue and rel == c.rel and span[1] == c.base_end
            )
            assert base >= SHAPE_FLOOR


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (  # parenthetical source inside the clause: the whole clause, as "X, he said, is Y"
            "Sales, according to the company, rose sharply last year.",
            "the company",
            "Sales, according to the company, rose sharply last year",
        ),
        (
            "Sales rose sharply last year, according to the company.",
            "the company",
            "Sales rose sharply last year",
        ),
        (
            "According to the company, sales rose sharply last year.",
            "the company",
            "sales rose sharply last year",
        ),
    ],
)
def test_according_to_positions(nlp, text, speaker, content):
    quotes = _quotes(nlp, text)
    assert [(q.speaker_text, q.text) for q in quotes] == [(speaker, content)]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "The company is reportedly planning to cut 500 jobs this spring.",
            "The company is reportedly planning to cut 500 jobs this spring",
        ),
    ],
)
def test_hearsay_adverb_is_a_speakerless_attribution(nlp, text, content):
    quotes = _quotes(nlp, text)
    assert [(q.cue, q.speaker_text, q.text, q.cue_class) for q in quotes] == [
        ("reportedly", None, content, "speech")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The company quickly cut 500 jobs this spring.",
        "The company cut 500 jobs this spring, officials said.",  # the verb cue, not an adverb
    ],
)
def test_no_hearsay_quote_without_a_hearsay_adverb(nlp, text):
    assert all(q.cue != "reportedly" and q.speaker_text is not None for q in _quotes(nlp, text))


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        (
            "In a new poll released Monday, the governor leads his rival by ten points.",
            "a new poll",
            "the governor leads his rival by ten points.",
        ),
        (
            "The governor leads his rival by ten points in the latest survey.",
            "the latest survey",
            "The governor leads his rival by ten points",
        ),
    ],
)
def test_in_a_poll_candidate(nlp, text, source, content):
    doc = nlp(text)
    found = [
        (doc[c.speaker[0] : c.speaker[1]].text, doc[c.content[0] : c.content[1]].text)
        for c in base_candidates(doc)
        if c.rel == "in" and c.speaker is not None
    ]
    assert found == [(source, content)]


@pytest.mark.parametrize(
    "text",
    [
        "The governor lives in a small house near the river.",  # not a source noun
        "The governor leads in the state.",
    ],
)
def test_no_in_candidate_without_a_source_noun(nlp, text):
    assert not [c for c in base_candidates(nlp(text)) if c.rel == "in"]


def test_said_in_an_interview_keeps_the_verb_cue(nlp):
    quotes = _quotes(nlp, "The senator said in an interview that taxes would rise next year.")
    assert [(q.cue, q.speaker_text, q.text) for q in quotes] == [
        ("said", "The senator", "that taxes would rise next year")
    ]


@pytest.mark.parametrize(
    ("text", "word", "cls"),
    [
        ("The firm is reportedly near a deal.", "reportedly", "speech"),
        ("The firm is apparently near a deal.", "apparently", "stance"),
        ("The firm is quickly nearing a deal.", "quickly", None),
        ("In a survey, most voters backed the plan.", "In", "speech"),
        ("Most voters in the town backed the plan.", "the", None),
    ],
)
def test_cue_class_of_non_verbal_cues(nlp, text, word, cls):
    doc = nlp(text)
    tok = next(t for t in doc if t.text == word)
    assert cue_class(tok) == cls


@pytest.mark.parametrize(
    "raw", ["", "{", "[]", '{"bias": 0}', '{"bias": "x", "weights": {}, "threshold": 0.2}']
)
def test_read_model_rejects_malformed_json(raw):
    assert read_model(raw) is None


def test_read_model_and_shipped_model():
    model = read_model('{"bias": -1.5, "weights": {"L=say": 2.0}, "threshold": 0.3}')
    assert model is not None
    assert (model.bias, model.weights, model.threshold) == (-1.5, {"L=say": 2.0}, 0.3)
    shipped = load_model()
    assert shipped is not None
    assert any(k.startswith("V=") for k in shipped.weights)  # trained with boundary shapes


@pytest.mark.parametrize(
    ("text", "contents"),
    [
        (
            "''We will win,'' Ms. Diaz said. ''The count is close.''",
            ["We will win", "The count is close."],
        ),
        ("``Go home,'' the officer said.", ["Go home"]),
        ('He said "we will win," and left.', ["we will win"]),
    ],
)
def test_typesetting_quote_marks(text, contents):
    spans, _warnings = find_quoted_spans(text)
    assert [text[q.start : q.end] for q in spans] == contents


@pytest.mark.parametrize(
    "text",
    [
        "It's the 90's and Bob's car.",
        "He bought a 12'' record and left.",
        "Rock 'n' roll never dies.",
    ],
)
def test_apostrophes_are_not_quote_marks(text):
    spans, _warnings = find_quoted_spans(text)
    assert spans == ()


def test_honorific_does_not_cut_a_quote_from_its_cue(nlp):
    text = "''We will win the count,'' Mr. Reyes said. ''The votes are all in now.''"
    quotes = _quotes(nlp, text)
    assert [(q.kind, q.speaker_text, q.cue) for q in quotes] == [
        ("direct", "Mr. Reyes", "said"),
        ("direct", "Mr. Reyes", "said"),
    ]


def test_a_real_sentence_end_still_separates_quotes(nlp):
    text = (
        "''We will win the count,'' Mr. Reyes said. Turnout was low in the north. "
        "''The votes are all in now, every one.''"
    )
    quotes = _quotes(nlp, text)
    assert [(q.kind, q.speaker_text) for q in quotes] == [
        ("direct", "Mr. Reyes"),
        ("direct", None),
    ]


def test_quotation_continues_after_a_long_speaker_apposition(nlp):
    text = (
        '"We will win the count," said Ana Reyes, a lawyer in the northern district who has run '
        "three campaigns for the party over two decades and now teaches election law at the "
        'state university. "The votes are all in now, every one."'
    )
    quotes = _quotes(nlp, text)
    assert [(q.kind, q.speaker_text) for q in quotes] == [
        ("direct", "Ana Reyes"),
        ("direct", "Ana Reyes"),
    ]
