"""The learned attribution tagger: its encoding, windows, decoding, grouping and its place in
the quotes stage (the shipped int8 model runs here: it is package data)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from dateline.models import Article, Quote
from dateline.settings import Settings
from dateline.stages import quotes, quotes_neural
from dateline.stages.quotes import extract_quotes
from dateline.stages.quotes_marks import find_quoted_spans
from dateline.stages.quotes_merge import merged, touching_joined
from dateline.stages.quotes_neural import (
    LABELS,
    TaggedAttribution,
    TaggedSpan,
    attributions,
    bio_labels,
    decode,
    encode_text,
    windows,
)
from dateline.stages.quotes_tagged import _kind_and_bounds, speechless_cue, tagged_drafts
from dateline.stages.quotes_trim import withheld

TAGGER_ON = Settings(quote_tagger=True)
RULES_ONLY = Settings(quote_tagger=False)
OUT, B_SRC, I_SRC, B_CUE, I_CUE, B_CON, I_CON = range(len(LABELS))


@pytest.fixture(scope="module")
def tagger():
    found = quotes_neural.load()
    assert found is not None, quotes_neural.unavailable_reason()
    return found


# ------------------------------------------------------------------ encoding and windows
def test_encode_text_marks_paragraph_breaks_and_keeps_offsets(tagger):
    text = "Lavrov said so.\n\nThe minister left."
    ids, offsets = encode_text(tagger.tokenizer, text)
    brk = tagger.tokenizer.token_to_id(quotes_neural.BREAK_TOKEN)
    assert ids.count(brk) == 1
    at = ids.index(brk)
    assert offsets[at][0] == offsets[at][1]  # the break covers no character
    assert text[offsets[at - 1][0] : offsets[at - 1][1]] == "."
    assert text[offsets[at + 1][0] : offsets[at + 1][1]] == "The"


def test_encode_text_without_newline_has_no_break(tagger):
    ids, _ = encode_text(tagger.tokenizer, "One line, no paragraph break.")
    assert tagger.tokenizer.token_to_id(quotes_neural.BREAK_TOKEN) not in ids


def test_windows_cover_every_token_within_the_model_width():
    for n in (0, 1, 254, 255, 600, 1000):
        spans = windows(n)
        covered = set()
        for s, e in spans:
            assert e - s <= quotes_neural.WINDOW - 2
            covered.update(range(s, e))
        assert covered == set(range(n))
    assert windows(100) == [(0, 100)]
    assert windows(300) == [(0, 254), (128, 300)]


def test_the_run_time_model_reads_windows_run_stride_apart(tagger):
    """Fewer windows than training's stride at run time (round 11: same quality, cheaper)."""
    sizes: list[int] = []

    class CountingSession:
        def run(self, outputs, feeds):  # type: ignore[no-untyped-def]
            sizes.append(feeds["input_ids"].shape[0])
            return tagger.session.run(outputs, feeds)

    text = "The minister said the talks went well. " * 120
    n = len(encode_text(tagger.tokenizer, text)[0])
    offsets, probs = replace(tagger, session=CountingSession()).probabilities(text)
    assert len(offsets) == len(probs) == n
    assert sum(sizes) == len(windows(n, stride=quotes_neural.RUN_STRIDE)) < len(windows(n))


# ------------------------------------------------------------------ decoding
def _offsets(n: int) -> list[tuple[int, int]]:
    return [(2 * i, 2 * i + 1) for i in range(n)]


def test_decode_bio_runs_to_spans():
    labels = [B_SRC, B_CUE, B_CON, I_CON, I_CON, OUT]
    spans = decode(labels, [0.9] * 6, _offsets(6))
    assert [(s.role, s.start, s.end) for s in spans] == [
        ("SRC", 0, 1),
        ("CUE", 2, 3),
        ("CON", 4, 9),
    ]


def test_decode_a_new_b_splits_two_touching_contents():
    spans = decode([B_CON, I_CON, B_CON, I_CON], [1.0] * 4, _offsets(4))
    assert [(s.start, s.end) for s in spans] == [(0, 3), (4, 7)]


def test_decode_an_orphan_i_starts_a_span_and_averages_probabilities():
    spans = decode([OUT, I_CON, I_CON], [0.5, 0.6, 0.8], _offsets(3))
    assert [(s.role, s.start, s.end) for s in spans] == [("CON", 2, 5)]
    assert spans[0].prob == pytest.approx(0.7)


def test_decode_a_paragraph_break_ends_a_fragment():
    # the break token covers no character: a quotation over two paragraphs is two fragments
    spans = decode([B_CON, I_CON, I_CON], [1.0] * 3, [(0, 3), (3, 3), (4, 8)])
    assert [(s.start, s.end) for s in spans] == [(0, 3), (4, 8)]


def _probs(*rows: dict[int, float]) -> np.ndarray:
    """Label probabilities per token: the given ones, the rest of the mass spread evenly."""
    out = np.zeros((len(rows), len(LABELS)))
    for t, row in enumerate(rows):
        rest = (1.0 - sum(row.values())) / (len(LABELS) - len(row))
        out[t] = [row.get(k, rest) for k in range(len(LABELS))]
    return out


def test_bio_labels_keep_a_valid_argmax():
    probs = _probs({B_SRC: 0.8}, {B_CUE: 0.9}, {B_CON: 0.7}, {I_CON: 0.6}, {OUT: 0.9})
    assert bio_labels(probs) == [B_SRC, B_CUE, B_CON, I_CON, OUT]


def test_bio_labels_mend_an_orphan_inside_a_content():
    # argmax: B-CON I-CON I-CUE I-CON, a cue and a second content inside one statement
    probs = _probs(
        {B_CON: 0.9},
        {I_CON: 0.9},
        {I_CUE: 0.45, I_CON: 0.4},
        {I_CON: 0.9},
        {OUT: 0.9},
    )
    assert bio_labels(probs) == [B_CON, I_CON, I_CON, I_CON, OUT]


def test_bio_labels_leave_a_sure_run_as_it_is():
    # a cue, then content the tagger is sure of: the missing B- is no reason to doubt it
    probs = _probs({B_CUE: 0.9}, {I_CUE: 0.9}, {I_CON: 0.9}, {I_CON: 0.9})
    assert bio_labels(probs) == [B_CUE, I_CUE, I_CON, I_CON]


def test_bio_labels_open_a_run_with_its_b_label():
    probs = _probs({OUT: 0.9}, {I_CON: 0.5, B_CON: 0.3}, {I_CON: 0.9}, {OUT: 0.9})
    assert bio_labels(probs) == [OUT, B_CON, I_CON, OUT]
    assert bio_labels(np.zeros((0, len(LABELS)))) == []


# ------------------------------------------------------------------ grouping
def _span(role: str, text: str, phrase: str, prob: float = 0.95) -> TaggedSpan:
    start = text.index(phrase)
    return TaggedSpan(role, start, start + len(phrase), prob)


def test_a_quotation_split_by_its_cue_is_one_attribution():
    text = "“We will stay,” the minister said, “and we will win.”"
    spans = [
        _span("CON", text, "“We will stay,”"),
        _span("SRC", text, "the minister"),
        _span("CUE", text, "said"),
        _span("CON", text, "“and we will win.”"),
    ]
    (att,) = attributions(text, spans)
    assert len(att.contents) == 2
    assert att.cue is not None
    assert text[att.cue.start : att.cue.end] == "said"
    assert att.source is not None
    assert text[att.source.start : att.source.end] == "the minister"


def test_contents_take_the_nearest_cue_in_their_own_paragraph():
    text = "Ana Ruiz said the port will close.\n\nThe union fears the port will close soon."
    spans = [
        _span("SRC", text, "Ana Ruiz"),
        _span("CUE", text, "said"),
        _span("CON", text, "the port will close."),
        _span("SRC", text, "The union"),
        _span("CUE", text, "fears"),
        _span("CON", text, "the port will close soon"),
    ]
    first, second = attributions(text, spans)
    assert text[first.source.start : first.source.end] == "Ana Ruiz"  # type: ignore[union-attr]
    assert text[second.cue.start : second.cue.end] == "fears"  # type: ignore[union-attr]
    assert text[second.source.start : second.source.end] == "The union"  # type: ignore[union-attr]


def test_unsure_and_tiny_contents_are_dropped():
    text = "Officials said a question about the budget remains open."
    unsure = [_span("CUE", text, "said"), _span("CON", text, "a question about the budget", 0.5)]
    tiny = [_span("CUE", text, "said"), _span("CON", text, "a")]
    sure = [_span("CUE", text, "said"), _span("CON", text, "a question about the budget")]
    assert attributions(text, unsure) == []
    assert attributions(text, tiny) == []
    assert len(attributions(text, sure)) == 1


def test_a_source_in_another_paragraph_is_not_the_speaker():
    text = "The council.\n\nSaid to be final, the plan passed on Monday."
    spans = [
        _span("SRC", text, "The council"),
        _span("CUE", text, "Said"),
        _span("CON", text, "to be final"),
    ]
    (att,) = attributions(text, spans)
    assert att.source is None


# ------------------------------------------------------------------ kinds
def _kind(text: str, content: str, cue: str) -> str:
    quoted, _ = find_quoted_spans(text)
    start = text.index(content)
    cue_span = _span("CUE", text, cue)
    return _kind_and_bounds(text, quoted, cue_span, start, start + len(content))[0]


@pytest.mark.parametrize(
    ("text", "content", "cue", "kind"),
    [
        ("“We will rebuild it,” the mayor said.", "“We will rebuild it,”", "said", "direct"),
        ("The mayor said: “We will rebuild it.”", "“We will rebuild it.”", "said", "direct"),
        # quoted words inside the writer's sentence
        (
            "It was “vital to rebuild it,” the statement added.",
            "“vital to rebuild it,”",
            "added",
            "mixed",
        ),
        ("She called the plan “a disgrace” and left.", "the plan “a disgrace”", "called", "mixed"),
        ("She said the vote was rigged.", "the vote was rigged", "said", "indirect"),
    ],
)
def test_direct_mixed_or_indirect(text, content, cue, kind):
    assert _kind(text, content, cue) == kind


# ------------------------------------------------------------------ in the quotes stage
@pytest.fixture(scope="module")
def nlp():
    from dateline.nlp import load_nlp

    return load_nlp()


def _quotes(nlp, text: str, settings: Settings | None = None) -> tuple[Quote, ...]:
    from dateline.stages.entities import extract_entities

    art = Article(id="t", source="t", text=text, content_hash="")
    doc = nlp(text)
    ents = extract_entities(art, doc)
    return extract_quotes(art, doc, entities=ents, settings=settings or TAGGER_ON)


def _quote(**kw: object) -> Quote:
    base: dict = {"id": "", "article_id": "a", "start": 0, "end": 10, "text": "x"}
    base |= {"kind": "indirect", "speaker_key": None, "speaker_text": None, "cue": "said"}
    base.update(kw)
    return Quote(**base)


# ------------------------------------------------------------------ merging the readings
def test_a_direct_quote_the_rules_attribute_stands_over_the_taggers_reading():
    direct = _quote(start=10, end=40, kind="direct", speaker_text="Arreaza", cue_start=45)
    direct = replace(direct, cue_end=50)
    learned = _quote(start=8, end=42, speaker_text="Tass", cue_start=60, cue_end=65)
    assert merged([direct], [learned]) == [direct]


def test_a_direct_quote_the_rules_leave_unattributed_takes_the_taggers_speaker():
    direct = _quote(start=10, end=40, kind="direct", cue=None)
    learned = _quote(start=10, end=40, kind="direct", speaker_text="Clinton", cue_start=45)
    learned = replace(learned, cue_end=52, cue="cracked")
    assert merged([direct], [learned]) == [learned]


def test_same_cue_and_content_the_rules_reading_stands():
    ruled = _quote(start=10, end=40, speaker_text="Arreaza", via="Tass", cue_start=0, cue_end=8)
    learned = _quote(start=12, end=40, speaker_text="Tass", cue_start=0, cue_end=4)
    assert merged([ruled], [learned]) == [ruled]


def test_same_cue_other_content_the_taggers_bounds_with_the_rules_speaker():
    ruled = _quote(start=10, end=20, speaker_text="she", speaker_start=0, speaker_end=3)
    ruled = replace(ruled, cue_start=4, cue_end=8, via="Efe", speaker_key="e1")
    learned = _quote(start=10, end=60, speaker_text="the senator", cue_start=4, cue_end=8)
    (out,) = merged([ruled], [learned])
    assert (out.start, out.end) == (10, 60)
    assert (out.speaker_text, out.speaker_key, out.via) == ("she", "e1", "Efe")


def test_a_fragment_over_the_rules_own_speaker_is_no_content():
    # "Sales rose by half, as the chief executive said": the tagger cuts "as the chief
    # executive" as a second fragment on "said"
    ruled = _quote(start=0, end=18, speaker_start=23, speaker_end=42, cue_start=43, cue_end=47)
    first = _quote(start=0, end=19, cue_start=43, cue_end=47)
    second = _quote(start=20, end=42, cue_start=43, cue_end=47)
    assert merged([ruled], [first, second]) == [ruled]


def test_quoted_as_saying_inside_the_taggers_content_keeps_the_rules_reading():
    # "The radio quoted Tom Reyes, the harbour master, as saying that …"
    ruled = _quote(start=60, end=90, speaker_text="Tom Reyes", via="The radio", cue="as saying")
    ruled = replace(ruled, cue_start=48, cue_end=57)
    learned = _quote(start=16, end=90, speaker_text="The radio", cue="quoted")
    learned = replace(learned, cue_start=10, cue_end=16)
    assert merged([ruled], [learned]) == [ruled]


def test_the_taggers_own_statement_replaces_an_overlapping_reported_one_and_keeps_the_rest():
    ruled = _quote(start=10, end=40, speaker_text="she", cue_start=45, cue_end=49)
    elsewhere = _quote(start=100, end=140, speaker_text="he", cue_start=145, cue_end=149)
    learned = _quote(start=5, end=40, speaker_text="the senator", cue_start=0, cue_end=4)
    assert merged([ruled, elsewhere], [learned]) == [learned, elsewhere]


def test_the_tagger_finds_reported_speech_with_its_speaker(nlp):
    text = (
        "Officials in Velmora believe the drought will end by spring. "
        "The mayor of Karsk has repeatedly argued that the new bridge would cut commuting "
        "times in half."
    )
    found = _quotes(nlp, text)
    said = {(q.speaker_text, q.text.rstrip(".,")) for q in found}
    assert ("The mayor of Karsk", "that the new bridge would cut commuting times in half") in said
    # the rules read the same statement: their speaker stands
    assert ("Officials", "the drought will end by spring") in said


def test_the_tagger_runs_without_the_crf_layer(nlp, monkeypatch):
    """The content CRF and the attribution tagger are separate layers: one missing (or off)
    leaves the other running, as the stage version says."""
    text = "The mayor's office is convinced that the bridge will open in May."
    monkeypatch.setattr(quotes.quotes_tagger, "load_tagger", lambda: None)
    assert [q.speaker_text for q in _quotes(nlp, text)] == ["The mayor's office"]
    assert _quotes(nlp, text, RULES_ONLY) == ()


def test_a_quotation_before_a_cue_with_its_own_content_stays_unattributed(nlp):
    text = (
        "\u201cThe dam will hold through the whole winter.\u201d Petrova said the water "
        "would fall by Friday."
    )
    found = _quotes(nlp, text)
    assert [(q.kind, q.speaker_text) for q in found] == [("direct", None), ("indirect", "Petrova")]


@pytest.mark.parametrize(
    "text",
    [
        "The county has seen a flood of donations after the storm.",
        "Mayor Anna Petrova said as the count began.",
        "Image copyright Lumen Press Image caption Mayor Ortega said the bridge would open",
        # a passive cue's agent is who, not what
        "The mayor's claim that the dam is safe was disputed by engineers.",
    ],
)
def test_readings_the_rules_refuse_are_refused_from_the_tagger_too(nlp, text):
    found = _quotes(nlp, text)
    assert all(q.speaker_text not in ("the county", "Lumen Press") for q in found)
    assert not any(q.text.startswith(("a flood", "as the count", "Image")) for q in found)
    assert not any(q.text.split()[0] == "by" for q in found)


def test_the_taggers_contents_keep_clear_of_a_wire_credit(nlp):
    found = _quotes(nlp, "MOSCOW, May 5 (Xinhua) -- The talks were useful, the minister said.")
    assert [q.text for q in found] == ["The talks were useful"]
    assert found[0].speaker_text == "the minister"


def test_a_source_in_another_sentence_is_not_the_cues(nlp):
    text = (
        "It is unclear what the protesters are calling for. "
        "This budget, she says, is different from the last one."
    )
    speakers = {q.text: q.speaker_text for q in _quotes(nlp, text)}
    assert speakers.get("what the protesters are calling for") is None
    assert speakers["This budget, she says, is different from the last one"] == "she"


def _tagged(text: str, readings: list[tuple[str, str, str]]) -> list[TaggedAttribution]:
    """The tagger's attributions, given as (source, cue, content) words of ``text``."""
    return [
        TaggedAttribution(
            (_span("CON", text, con),), _span("CUE", text, cue), _span("SRC", text, src)
        )
        for src, cue, con in readings
    ]


def _speakers_of_cues(nlp, text: str, readings: list[tuple[str, str, str]]) -> dict:
    """Each tagged attribution's (source, cue, content) placed on the parse: cue -> speaker."""
    doc = nlp(text)
    out = {}
    for d in tagged_drafts(doc, text, [], _tagged(text, readings)):
        speaker = d.cue.speaker
        out[doc[d.cue.cue_start : d.cue.cue_end].text] = (
            doc[speaker[0] : speaker[1]].text if speaker is not None else None
        )
    return out


def test_a_source_across_another_cue_gives_way_to_the_verbs_own_subject(nlp):
    # the tagger takes the only source near 'declared', the speaker of 'has accused'; the
    # parse says the engineer declared: the engineer is the speaker
    text = (
        "Mayor Ortega has accused the council of stalling ever since city engineer Lena Park "
        "declared the bridge unsafe."
    )
    readings = [
        (
            "Mayor Ortega",
            "has accused",
            "the council of stalling ever since city engineer Lena Park",
        ),
        ("Mayor Ortega", "declared", "the bridge unsafe"),
    ]
    assert _speakers_of_cues(nlp, text, readings) == {
        "has accused": "Mayor Ortega",
        "declared": "city engineer Lena Park",
    }


def test_a_source_across_another_cue_still_speaks_for_a_verb_without_a_subject(nlp):
    text = "Mayor Ortega said the bridge was safe, adding that repairs would start in May."
    readings = [
        ("Mayor Ortega", "said", "the bridge was safe"),
        ("Mayor Ortega", "adding", "that repairs would start in May"),
    ]
    assert _speakers_of_cues(nlp, text, readings) == {
        "said": "Mayor Ortega",
        "adding": "Mayor Ortega",
    }


@pytest.mark.parametrize(
    ("text", "readings", "expected"),
    [
        # 'which' stands for the plan, not for the unions that announced it
        (
            "The unions announced a new plan, which proposes a shorter working week.",
            [
                ("The unions", "announced", "a new plan"),
                ("The unions", "proposes", "a shorter working week"),
            ],
            {"announced": "The unions", "proposes": "a new plan"},
        ),
        # a participle after a noun has that noun for its subject: the proposal calls for
        # the vote, not the council that rejected it
        (
            "The council also rejected a proposal calling for a snap vote in the province.",
            [
                ("The council", "also rejected", "a proposal"),
                ("The council", "calling for", "a snap vote in the province"),
            ],
            {"also rejected": "The council", "calling for": "a proposal"},
        ),
        # the participle's noun is the source's own: the source stands
        (
            "Mayor Ortega rebuffed the unions, with a heckler shouting that the port was dying.",
            [
                ("Mayor Ortega", "rebuffed", "the unions"),
                ("a heckler", "shouting", "that the port was dying"),
            ],
            {"rebuffed": "Mayor Ortega", "shouting": "a heckler"},
        ),
    ],
)
def test_a_subject_across_another_cue_stands_for_its_noun(nlp, text, readings, expected):
    assert _speakers_of_cues(nlp, text, readings) == expected


def test_a_relative_subject_on_the_source_is_the_sources_own(nlp):
    from dateline.stages.quotes_tagged import _other_subject

    doc = nlp("Mayor Ortega, who insisted that repairs start in May, left the meeting early.")
    verb = next(t.i for t in doc if t.text == "insisted")
    assert doc[verb].dep_ == "relcl"
    assert _other_subject(doc, verb, (0, 2)) is None  # 'who' is Mayor Ortega
    assert doc[12:14].text == "the meeting"
    assert _other_subject(doc, verb, (12, 14)) == (0, 2)  # a source 'who' does not stand for


def test_a_tagged_source_that_is_a_clause_is_its_subject(nlp):
    text = (
        "The foreign ministry summoned the ambassador on Monday to protest against what it "
        "called open interference."
    )
    readings = [
        ("The foreign ministry summoned the ambassador", "to protest against", "what it called"),
    ]
    assert _speakers_of_cues(nlp, text, readings) == {"to protest against": "The foreign ministry"}


def test_a_tagged_source_with_a_relative_clause_keeps_its_words(nlp):
    text = "A spokesman who asked not to be named said the talks had stalled."
    readings = [("A spokesman who asked not to be named", "said", "the talks had stalled")]
    assert _speakers_of_cues(nlp, text, readings) == {
        "said": "A spokesman who asked not to be named"
    }


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Mayor Ortega reaffirmed his support for the port \u2013 and for the dockers.",
            "his support for the port \u2013",
        ),
        (
            "Mayor Ortega reaffirmed his support for the port, the dockers said.",
            "his support for the port,",
        ),
        (
            "Mayor Ortega reaffirmed his support for the port.",
            "his support for the port",
        ),
    ],
)
def test_a_tagged_content_does_not_end_on_a_dash_or_comma(nlp, text, content):
    doc = nlp(text)
    drafts = tagged_drafts(doc, text, [], _tagged(text, [("Mayor Ortega", "reaffirmed", content)]))
    assert [text[d.start : d.end] for d in drafts] == ["his support for the port"]


def test_no_attribution_no_quote(nlp):
    assert _quotes(nlp, "The bridge opened in 1932 and carries 40,000 cars a day.") == ()


def test_on_by_default():
    assert Settings().quote_tagger


def test_off_the_rules_alone(nlp, monkeypatch):
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the tagger must not load")

    monkeypatch.setattr(quotes_neural, "load", refuse)
    found = _quotes(nlp, "Officials in Velmora believe the drought will end.", RULES_ONLY)
    assert [q.speaker_text for q in found] == ["Officials"]


def test_the_tagger_setting_changes_the_recorded_stage_version():
    from dateline.pipeline import stage_versions

    assert stage_versions(RULES_ONLY)["quotes"] == quotes.VERSION
    assert stage_versions(TAGGER_ON)["quotes"] == quotes.TAGGER_VERSION != quotes.VERSION


@pytest.fixture
def fresh_process():
    """Availability is decided once per process: forget it around a test that changes it."""
    quotes_neural.unavailable_reason.cache_clear()
    quotes_neural.load.cache_clear()
    yield
    quotes_neural.unavailable_reason.cache_clear()
    quotes_neural.load.cache_clear()


def test_a_tagger_that_cannot_run_records_the_rules_version(monkeypatch, fresh_process):
    from dateline.pipeline import stage_versions

    monkeypatch.setenv(quotes_neural.MODEL_ENV, "off")
    assert stage_versions(TAGGER_ON)["quotes"] == quotes.VERSION


def test_off_means_rules_alone(monkeypatch, fresh_process):
    monkeypatch.setenv(quotes_neural.MODEL_ENV, "off")
    assert quotes_neural.unavailable_reason() == f"${quotes_neural.MODEL_ENV}=off"
    assert quotes_neural.load() is None


def test_a_missing_model_means_rules_alone(monkeypatch, tmp_path, fresh_process):
    monkeypatch.setenv(quotes_neural.MODEL_ENV, str(tmp_path / "absent.onnx"))
    assert "no model file" in (quotes_neural.unavailable_reason() or "")
    assert quotes_neural.load() is None


def test_the_packaged_model_is_found():
    assert quotes_neural.model_file() is not None
    assert quotes_neural.unavailable_reason() is None


def test_blank_text_tags_nothing(tagger):
    assert tagger.tag("") == []
    assert tagger.tag(" \n\n ") == []


TOUCHING = "The council struck down a proposal calling for a snap election in Norland."


def _fragment(text: str, words: str, **kw: object) -> Quote:
    start = text.index(words)
    base: dict = {"start": start, "end": start + len(words), "text": words}
    base |= {"cue_start": 12, "cue_end": 24, "speaker_start": 0, "speaker_end": 11}
    base.update(kw)
    return _quote(**base)


def test_touching_fragments_of_one_statement_are_one_quote():
    first = _fragment(TOUCHING, "a proposal calling for")
    second = _fragment(TOUCHING, "a snap election in Norland", kind="mixed")
    [joined] = touching_joined(TOUCHING, [second, first])
    assert joined.text == "a proposal calling for a snap election in Norland"
    assert TOUCHING[joined.start : joined.end] == joined.text
    assert joined.kind == "mixed"


@pytest.mark.parametrize(
    "change",
    [
        {"cue_start": 40},  # another cue: another statement
        {"speaker_start": 3},  # another speaker
        {"kind": "direct"},  # a quotation keeps its marks
        {"cue_start": None},  # no cue: a statement of its own
    ],
)
def test_fragments_of_other_statements_stay_apart(change):
    first = _fragment(TOUCHING, "a proposal calling for")
    second = _fragment(TOUCHING, "a snap election in Norland", **change)
    assert touching_joined(TOUCHING, [first, second]) == [first, second]


def test_fragments_in_two_paragraphs_stay_apart():
    text = "The council struck down a proposal calling for\n\na snap election in Norland."
    first = _fragment(text, "a proposal calling for")
    second = _fragment(text, "a snap election in Norland")
    assert touching_joined(text, [first, second]) == [first, second]


def test_fragments_with_words_between_stay_apart():
    first = _fragment(TOUCHING, "a proposal")
    second = _fragment(TOUCHING, "a snap election in Norland")
    assert touching_joined(TOUCHING, [first, second]) == [first, second]


# ------------------------------------------------------------------ readings refused, any reader


def _words(doc, words: str):
    at = doc.text.index(words)
    span = doc.char_span(at, at + len(words))
    assert span is not None, words
    return span


@pytest.mark.parametrize(
    ("text", "cue", "speechless"),
    [
        ("The company is reportedly planning to cut 500 jobs.", "is", True),
        ("It is unclear what the protesters are calling for.", "It is unclear", True),
        ("It was not immediately clear who fired first.", "It was not immediately clear", True),
        ("Anna Petrova is confident that the bill will pass.", "is confident", False),
        ("Tom Reyes said it is unclear who fired first.", "said", False),
        ("It said the bridge was safe.", "It said", False),
    ],
)
def test_a_cue_of_auxiliaries_or_an_impersonal_hedge_reports_nobody(nlp, text, cue, speechless):
    assert speechless_cue(_words(nlp(text), cue)) is speechless


@pytest.mark.parametrize(
    ("text", "cue", "refused"),
    [
        ("The ministry refused to confirm the report.", "refused to confirm", True),
        ("The ministry refused to confirm the report.", "refused", True),
        ("The council declined to say whether the bridge would reopen.", "declined", True),
        ("The ministry refused to pay the fine.", "refused", False),
        ("The ministry confirmed the report.", "confirmed", False),
    ],
)
def test_a_refusal_to_speak_withholds_the_words_whatever_the_cue_covers(nlp, text, cue, refused):
    doc = nlp(text)
    span = _words(doc, cue)
    assert withheld(doc, span.start_char, span.end_char) is refused


def test_outside_weighed_lets_a_doubted_content_token_through():
    from dateline.stages.quotes_neural import OUTSIDE_WEIGHT, outside_weighed

    probs = np.array([[0.6, 0, 0, 0, 0, 0.4, 0], [0.95, 0, 0, 0, 0, 0.05, 0]], dtype=np.float32)
    weighed = outside_weighed(probs)
    assert np.allclose(weighed.sum(axis=-1), 1.0)
    assert OUTSIDE_WEIGHT < 1.0
    # O was likelier; weighed, the content label wins where the tagger gave it 0.4, not 0.05
    assert bio_labels(probs) == [OUT, OUT]
    assert bio_labels(weighed) == [B_CON, OUT]
    assert probs[0, OUT] == pytest.approx(0.6)  # the input is left as it was


def test_a_tagged_source_ends_at_its_noun_phrase(nlp):
    from dateline.stages.quotes_tagged import _noun_phrase_end

    doc = nlp("Russia, China and other states have voiced their support.")
    have = next(t.i for t in doc if t.text == "have")
    assert (
        doc[slice(*_noun_phrase_end(doc, (0, have + 1)))].text == "Russia, China and other states"
    )
    assert _noun_phrase_end(doc, (0, have)) == (0, have)  # a whole noun phrase stays
    assert _noun_phrase_end(doc, None) is None
