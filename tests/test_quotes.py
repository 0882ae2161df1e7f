"""Quote extraction on short invented news sentences: (kind, speaker, content) projections."""

from __future__ import annotations

import pytest

from dateline.models import Article, ArticleEntity, EntityMention, RoleMention
from dateline.nlp import load_nlp
from dateline.stages.quotes import VERSION, extract_quotes
from dateline.stages.quotes_marks import find_quoted_spans

# each test with the rules alone and with the attribution tagger (conftest.quote_mode)
pytestmark = pytest.mark.usefixtures("quote_mode")


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _entities(doc) -> tuple[ArticleEntity, ...]:
    """Tiny stand-in for the entities stage: NER spans clustered by last word."""
    groups: dict[tuple[str, str], list[EntityMention]] = {}
    keys: dict[tuple[str, str], str] = {}
    for ent in doc.ents:
        if ent.label_ not in {"PERSON", "ORG", "GPE", "NORP"}:
            continue
        ident = (ent.label_, ent.text.split()[-1].lower())
        key = keys.setdefault(ident, f"e{len(keys) + 1}")
        groups.setdefault(ident, []).append(
            EntityMention(ent.start_char, ent.end_char, ent.text, ent.label_, key)
        )
    return tuple(
        ArticleEntity(keys[i], ms[0].text, i[0], (ms[0].text,), mentions=tuple(ms))
        for i, ms in groups.items()
    )


def _run(nlp, text: str, entities=None):
    art = Article(id="t", source="t", text=text, content_hash="x")
    doc = nlp(text)
    ents = _entities(doc) if entities is None else entities(doc)
    quotes = extract_quotes(art, doc, entities=ents)
    names = {e.key: e.name for e in ents}
    for q in quotes:
        assert text[q.start : q.end] == q.text
        if q.speaker_start is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker_text
        if q.cue_start is not None:
            assert text[q.cue_start : q.cue_end] == q.cue
    return quotes, names


def _resolved(doc, start: int, end: int) -> tuple[str, str | None]:
    """The speaker phrase over doc tokens [start, end) and the name of its entity."""
    from dateline.stages.speakers import SpeakerResolver

    ents = _entities(doc)
    speaker = SpeakerResolver(doc.text, doc, ents).resolve(start, end)
    assert speaker is not None
    return speaker.text, {e.key: e.name for e in ents}.get(speaker.key or "")


def _speaker_of(nlp, text: str, phrase: str, entities=None):
    """The resolver's reading of the last ``phrase`` in ``text`` (the stand-in entities, or
    ``entities(doc)``)."""
    from dateline.stages.speakers import SpeakerResolver

    doc = nlp(text)
    ents = _entities(doc) if entities is None else entities(doc)
    at = text.rindex(phrase)
    span = doc.char_span(at, at + len(phrase))
    assert span is not None
    speaker = SpeakerResolver(text, doc, ents).resolve(span.start, span.end)
    assert speaker is not None
    names = {e.key: e.name for e in ents}
    return [names[k] for k in (speaker.key, *speaker.others) if k]


def test_version():
    assert VERSION == "quotes.v15"


@pytest.mark.parametrize(
    ("text", "kind", "speaker", "content_start"),
    [
        (
            '"We will rebuild the bridge by May," Mayor Anna Petrova said on Monday.',
            "direct",
            "Anna Petrova",
            "We will rebuild",
        ),
        (
            "\u201cThe talks were useful and honest,\u201d said Pedro Gomez.",
            "direct",
            "Pedro Gomez",
            "The talks were",
        ),
        (
            "Pedro Gomez said: \u00abThe harvest was the worst in ten years.\u00bb",
            "direct",
            "Pedro Gomez",
            "The harvest",
        ),
        (
            "Anna Petrova said that the budget would be cut by half.",
            "indirect",
            "Anna Petrova",
            "that the budget",
        ),
        (
            "Anna Petrova said the budget would be cut by half.",
            "indirect",
            "Anna Petrova",
            "the budget",
        ),
        (
            "The budget will be cut by half, Anna Petrova said.",
            "indirect",
            "Anna Petrova",
            "The budget",
        ),
        (
            "According to Anna Petrova, the budget will be cut by half.",
            "indirect",
            "Anna Petrova",
            "the budget",
        ),
        (
            "Anna Petrova reportedly vowed that the plant would stay open.",
            "indirect",
            "Anna Petrova",
            "that the plant",
        ),
        (
            "Anna Petrova has stated that the vote was fair.",
            "indirect",
            "Anna Petrova",
            "that the vote",
        ),
    ],
)
def test_extract_quotes_kinds_and_speakers(nlp, text, kind, speaker, content_start):
    quotes, names = _run(nlp, text)
    assert len(quotes) == 1, quotes
    q = quotes[0]
    assert q.kind == kind
    assert q.text.startswith(content_start)
    assert names.get(q.speaker_key) == speaker or q.speaker_text == speaker


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # a closing "according to" that the parser hangs on the content's last verb
        (
            "Anna Petrova said the port would reopen in May, according to state radio.",
            "the port would reopen in May",
        ),
        (
            "Anna Petrova said on Monday that the port would reopen in May, according to "
            "state radio.",
            "that the port would reopen in May",
        ),
        ("According to state radio, Anna Petrova said the port would reopen in May.", None),
    ],
)
def test_according_to_after_a_report_is_its_channel(nlp, text, content):
    """ "X said …, according to Z": X speaks, via Z (the issue's "via records the channel"),
    one statement, not Z's statement holding X's."""
    quotes, names = _run(nlp, text)
    assert len(quotes) == 1
    q = quotes[0]
    assert names.get(q.speaker_key or "") == "Anna Petrova"
    assert q.via == "state radio"
    assert q.cue == "said"
    if content is not None:
        assert q.text == content


def test_according_to_credits_only_the_report_it_hangs_on(nlp):
    """A report inside another clause the phrase credits is not said via it: the praise is
    not the exit polls' channel."""
    text = (
        "Anna Petrova has praised the harbour plan, and won most of the votes in the port "
        "district, according to exit polls."
    )
    quotes, _names = _run(nlp, text)
    assert all(q.via != "exit polls" for q in quotes)


def test_told_audience_is_not_speaker(nlp):
    quotes, names = _run(nlp, "Pedro Gomez told Radio Norte on Tuesday that the mine would close.")
    assert len(quotes) == 1
    assert names[quotes[0].speaker_key] == "Pedro Gomez"
    assert quotes[0].cue == "told"
    assert quotes[0].text.startswith("that the mine")


def test_quoted_as_saying_records_channel(nlp):
    text = '"Dialogue is the only way," Pedro Gomez was quoted by Radio Norte as saying.'
    quotes, names = _run(nlp, text)
    assert len(quotes) == 1
    q = quotes[0]
    assert names[q.speaker_key] == "Pedro Gomez"
    assert "Radio Norte" in (q.via or "")
    assert (q.cue or "").startswith("was quoted")
    assert (q.cue or "").endswith("saying")


def test_split_quote_gives_two_fragments_same_speaker(nlp):
    text = '"We are ready," Pedro Gomez said, "and we will sign the deal tomorrow."'
    quotes, _ = _run(nlp, text)
    assert [q.text for q in quotes] == ["We are ready", "and we will sign the deal tomorrow."]
    assert quotes[0].speaker_key == quotes[1].speaker_key is not None
    assert [q.id for q in quotes] == ["t:q1", "t:q2"]


def test_pronoun_resolves_to_previous_speaker(nlp):
    text = "Pedro Gomez said the mine would close in June.\nHe added that workers would be paid."
    quotes, names = _run(nlp, text)
    assert len(quotes) == 2
    assert quotes[1].speaker_text == "He"
    assert names[quotes[1].speaker_key] == "Pedro Gomez"


def test_role_phrase_resolves_through_role_mentions(nlp):
    text = (
        "Foreign Minister Pedro Gomez met the delegation.\n"
        '"Nothing was agreed today," the foreign minister said.'
    )

    def ents(doc):
        base = _entities(doc)
        out = []
        for e in base:
            if e.name.endswith("Gomez"):
                role = RoleMention(0, 16, "Foreign Minister", e.key)
                e = ArticleEntity(
                    e.key,
                    e.name,
                    e.type,
                    e.aliases,
                    ("Foreign Minister",),
                    None,
                    e.mentions,
                    (role,),
                )
            out.append(e)
        return tuple(out)

    quotes, names = _run(nlp, text, ents)
    assert len(quotes) == 1
    assert names[quotes[0].speaker_key] == "Pedro Gomez"
    assert quotes[0].speaker_text == "the foreign minister"


@pytest.mark.parametrize(
    ("text", "speaker_text"),
    [
        (
            "The Minister of the Interior, Tomas Varga, said that the march had been illegal.",
            "The Minister of the Interior",
        ),
        ('"The march was illegal," said the spokesman, Tomas Varga.', "the spokesman"),
        # a name with a title beside it stays the name, not the body in the title
        (
            "Tomas Varga, the head of the National Assembly, said that the march had been illegal.",
            "Tomas Varga",
        ),
    ],
)
def test_a_title_with_a_name_beside_it_is_that_person(nlp, text, speaker_text):
    # a phrase that ends before the name beside it is that name (the first text also
    # holds "the Interior", which NER reads as an organisation)
    quotes, names = _run(nlp, text)
    assert [(q.speaker_text, names.get(q.speaker_key or "")) for q in quotes] == [
        (speaker_text, "Tomas Varga")
    ]


def test_a_pronoun_takes_the_speaker_nearest_before_it_in_the_text(nlp):
    """Quotes are not resolved in text order (direct quotes may come first), so the
    resolver remembers speakers out of order; the antecedent is the nearest by position."""
    from dateline.stages.speakers import SpeakerResolver

    text = (
        "Anna Petrova spoke first, then the floor went to Tom Reyes. He said the port would reopen."
    )
    doc = nlp(text)
    ents = _entities(doc)
    resolver = SpeakerResolver(text, doc, ents)
    key_of = {e.name: e.key for e in ents}
    resolver.remember(text.index("Tom Reyes"), key_of["Tom Reyes"])
    resolver.remember(text.index("Anna Petrova"), key_of["Anna Petrova"])  # resolved later
    he = next(t.i for t in doc if t.text == "He")
    speaker = resolver.resolve(he, he + 1)
    assert speaker is not None
    assert speaker.key == key_of["Tom Reyes"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a coordination is who its first name is, as "Anna Petrova and Tom Reyes said" is;
        # never the organisation named further back
        (
            "The Harbour Authority opened the talks. Anna Petrova and Tom Reyes met on Monday. "
            "They said the port would reopen in May.",
            "Anna Petrova",
        ),
        # a plural noun the article does not name is nobody: the speaker stays unknown
        (
            "The Harbour Authority opened the talks. Dockworkers marched outside the hall. "
            "They said the port was dying.",
            None,
        ),
        # a plural pronoun still takes a body when no plural subject is nearer
        (
            "Dockworkers marched outside the hall. The Harbour Authority opened the talks on "
            "Monday. They said the port would reopen in May.",
            "The Harbour Authority",
        ),
    ],
)
def test_a_plural_pronoun_takes_the_nearest_plural_subject(nlp, text, expected):
    doc = nlp(text)
    they = next(t.i for t in doc if t.text == "They")
    assert _resolved(doc, they, they + 1) == ("They", expected)


def test_they_after_two_named_people_is_not_an_earlier_organisation(nlp, quote_mode):
    text = (
        "The Harbour Authority opened the talks. Anna Petrova and Tom Reyes met on Monday. "
        "They said the port would reopen in May."
    )
    quotes, names = _run(nlp, text)
    they = [q for q in quotes if q.speaker_text == "They"]
    assert [names.get(q.speaker_key or "") for q in they] == ["Anna Petrova"]


@pytest.mark.parametrize(
    ("text", "speaker", "others"),
    [
        (
            "Anna Petrova and her deputy Tom Reyes said the port would reopen in May.",
            "Anna Petrova",
            ["Tom Reyes"],
        ),
        (
            "Norland, Veloria and Karsk said the embargo would end in May.",
            "Norland",
            ["Veloria", "Karsk"],
        ),
        # a conjunct that names nobody the article knows adds nothing
        ("Anna Petrova and the dockworkers said the port would reopen in May.", "Anna Petrova", []),
        # one speaker: nobody beside it
        ("Anna Petrova said the port would reopen in May.", "Anna Petrova", []),
    ],
)
def test_a_coordinated_speaker_keeps_the_others_who_spoke(nlp, text, speaker, others):
    quotes, names = _run(nlp, text)
    said = [q for q in quotes if q.cue == "said"]
    assert [names.get(q.speaker_key or "") for q in said] == [speaker]
    assert [names.get(k) for k in said[0].co_speaker_keys] == others


def test_they_after_a_coordination_keeps_all_of_it(nlp):
    text = (
        "The Harbour Authority opened the talks. Anna Petrova and Tom Reyes met on Monday. "
        "They said the port would reopen in May."
    )
    doc = nlp(text)
    they = next(t.i for t in doc if t.text == "They")
    from dateline.stages.speakers import SpeakerResolver

    ents = _entities(doc)
    names = {e.key: e.name for e in ents}
    speaker = SpeakerResolver(doc.text, doc, ents).resolve(they, they + 1)
    assert speaker is not None
    assert names.get(speaker.key or "") == "Anna Petrova"
    assert [names[k] for k in speaker.others] == ["Tom Reyes"]


@pytest.mark.parametrize(
    ("text", "phrase", "others"),
    [
        # the parser chains the place before the comma into the list: only the names
        # after the speaker's own are with it
        (
            "Up to now, when asked about airstrikes inside Veloria, Petrova and Reyes have "
            "said all options remain on the table.",
            "Petrova and Reyes",
            ["Reyes"],
        ),
        # a list that goes on from inside the speaker's description is the description's
        (
            "Carl Forti, a top adviser to the Crossroads groups and Restore Our Future, another "
            "pro-Romney super PAC, said the battleground map could expand.",
            "Carl Forti",
            [],
        ),
        # after the description and a comma, the list is the speaker's again
        (
            "Ms. Pelosi, the House minority leader, and Mr. Schumer, a member of the Senate "
            "Finance Committee, favor making $1 million the cutoff.",
            "Ms. Pelosi",
            ["Schumer"],
        ),
        # a name before a comma the parser joins to the speaker, with no conjunction: no list
        (
            "In a meeting with Netanyahu, U.N. chief Ban Ki-moon condemned Palestinian rocket "
            "attacks, but urged Israel to show restraint.",
            "U.N. chief Ban Ki-moon",
            [],
        ),
    ],
)
def test_only_a_list_after_the_speaker_speaks_with_it(nlp, text, phrase, others):
    from dateline.stages.speakers import SpeakerResolver

    doc = nlp(text)
    ents = _entities(doc)
    span = doc.char_span(text.index(phrase), text.index(phrase) + len(phrase))
    assert span is not None
    speaker = SpeakerResolver(text, doc, ents).resolve(span.start, span.end)
    assert speaker is not None
    names = {e.key: e.name for e in ents}
    assert [names[k] for k in speaker.others] == others


def test_two_clauses_with_their_own_subjects_are_no_coordinated_speaker(nlp):
    text = "Anna Petrova said the port would reopen, and Tom Reyes said it would not."
    quotes, names = _run(nlp, text)
    assert {names.get(q.speaker_key or "") for q in quotes} == {"Anna Petrova", "Tom Reyes"}
    assert all(q.co_speaker_keys == () for q in quotes)


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        (
            "Norland has accused Veloria of meddling in Karsk's affairs, while the latter "
            "called the charge absurd.",
            "the latter",
            "Veloria",  # not Karsk, a possessive: no party to the accusation
        ),
        (
            "Anna Petrova met Tom Reyes in Solvan on Monday. The former said the port would "
            "reopen in May.",
            "The former",
            "Anna Petrova",
        ),
        # one name before it: nothing to choose between, never guessed
        (
            "Anna Petrova spoke on Monday. The latter said the port would reopen.",
            "The latter",
            None,
        ),
    ],
)
def test_the_former_and_the_latter_pick_one_of_the_last_two_parties(nlp, text, phrase, expected):
    doc = nlp(text)
    start = text.index(phrase)
    span = doc.char_span(start, start + len(phrase))
    assert _resolved(doc, span.start, span.end) == (phrase, expected)


@pytest.mark.parametrize(
    ("text", "nth", "expected"),
    [
        # a second relative clause joined to the first hangs on the same noun, and a
        # description set beside a name ("a Democrat") stands for the person named
        (
            "Critics have pointed to former senator Tomas Varga, a Democrat who was one of the "
            "final votes for the bill in the upper house and who insisted that provinces be "
            "able to run their own exchanges.",
            1,
            "Tomas Varga",
        ),
        # the clause hangs on a description with the name beside it
        (
            "One of them was the mayor's son, Tom Reyes, who said the port would close.",
            0,
            "Tom Reyes",
        ),
    ],
)
def test_a_relative_pronoun_is_the_person_its_clause_describes(nlp, text, nth, expected):
    doc = nlp(text)
    who = [t.i for t in doc if t.lower_ == "who"][nth]
    assert _resolved(doc, who, who + 1) == ("who", expected)


def test_a_relative_pronoun_after_a_name_and_comma_is_that_name_when_misparsed(nlp):
    """The small parser sometimes hangs "who said" on the main verb, not on the name before
    it ("Unlike Mr. Ortega, who said …, Mr. Varga …"): the name before the comma speaks."""
    from spacy.tokens import Doc, Span

    words = ["Unlike", "Mr.", "Ortega", ",", "who", "said", "he", "would", "stay", ","]
    words += ["Mr.", "Varga", "left", "."]
    heads = [12, 2, 0, 2, 5, 12, 8, 8, 5, 12, 11, 12, 12, 12]
    deps = ["prep", "compound", "pobj", "punct", "nsubj", "advcl", "nsubj", "aux", "ccomp"]
    deps += ["punct", "compound", "nsubj", "ROOT", "punct"]
    pos = ["ADP", "PROPN", "PROPN", "PUNCT", "PRON", "VERB", "PRON", "AUX", "VERB", "PUNCT"]
    pos += ["PROPN", "PROPN", "VERB", "PUNCT"]
    spaces = [True, True, False, True, True, True, True, True, False, True, True, True, False]
    doc = Doc(nlp.vocab, words=words, spaces=[*spaces, False], heads=heads, deps=deps, pos=pos)
    doc.ents = [Span(doc, 1, 3, label="PERSON"), Span(doc, 10, 12, label="PERSON")]
    assert _resolved(doc, 4, 5) == ("who", "Mr. Ortega")


def test_statement_from_organisation(nlp):
    text = '"The border will stay closed this week," a statement from the Interior Ministry read.'
    quotes, names = _run(nlp, text)
    assert len(quotes) == 1
    assert quotes[0].cue == "read"
    assert quotes[0].speaker_key is not None
    assert "Ministry" in names[quotes[0].speaker_key]


def test_paragraph_continuation_shares_speaker(nlp):
    text = (
        '"The first part of the plan is ready and will be shown soon, Pedro Gomez said.\n'
        "\u201cThe second part will follow next month after the board meets again.\u201d"
    )
    spans, warnings = find_quoted_spans(text)
    assert len(spans) == 2
    assert spans[0].chain == spans[1].chain
    assert "unclosed-quote" in warnings


@pytest.mark.parametrize(
    "text",
    [
        'The city joined the "Green Belt" plan last year.',
        "Critics called him an \u201cinterim mayor\u201d in the debate.",
        "The so-called \u201caid\u201d never reached the border.",
    ],
)
def test_scare_quotes_are_not_statements(nlp, text):
    quotes, _ = _run(nlp, text)
    assert [q for q in quotes if q.kind == "direct"] == []


def test_mixed_quote(nlp):
    text = (
        "Pedro Gomez accused the council of \u201cblatant meddling in our affairs,\u201d on Friday."
    )
    quotes, names = _run(nlp, text)
    assert len(quotes) == 1
    assert quotes[0].kind == "mixed"
    assert names[quotes[0].speaker_key] == "Pedro Gomez"


def test_cueless_direct_quote_has_no_speaker(nlp):
    text = "The hall was full.\n\u201cThis is the best day of my whole life in this town.\u201d"
    quotes, _ = _run(nlp, text)
    assert len(quotes) == 1
    assert quotes[0].speaker_key is None
    assert quotes[0].speaker_text is None


def test_messy_input_never_raises(nlp):
    for text in [
        "",
        '"',
        "\u201c\u201c\u201d",
        "said said said",
        "\u00ab unclosed",
        "\u2019tis \u2018odd",
    ]:
        _run(nlp, text)


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        # stances, beliefs and intentions (cues outside the reporting-verb lexicon)
        (
            "Senator Maria Lopez supports a ban on new pipelines.",
            "Maria Lopez",
            "supports",
            "a ban on new pipelines",
        ),
        (
            "Governor Tom Reyes wants to raise the minimum wage.",
            "Tom Reyes",
            "wants",
            "to raise the minimum wage",
        ),
        ("Tom Reyes seems to favour a quick deal.", "Tom Reyes", "seems", "to favour a quick deal"),
        (
            "Maria Lopez is confident that the bill will pass.",
            "Maria Lopez",
            "confident",
            "that the bill will pass",
        ),
        (
            "Tom Reyes cited a study showing rising costs.",
            "Tom Reyes",
            "cited",
            "a study showing rising costs",
        ),
        # a nominal cue: the possessor is the source
        (
            "Mayor Anna Petrova's claim that the bridge is safe was disputed by engineers.",
            "Anna Petrova",
            "claim",
            "that the bridge is safe",
        ),
        # "described X as Y": the object and its "as" phrase
        (
            "Tom Reyes described the plan as a disaster.",
            "Tom Reyes",
            "described",
            "the plan as a disaster",
        ),
        (
            "Tom Reyes has argued that the tax is unfair.",
            "Tom Reyes",
            "has argued",
            "that the tax is unfair",
        ),
    ],
)
def test_attributions_beyond_speech(nlp, text, speaker, cue, content):
    quotes, names = _run(nlp, text)
    assert len(quotes) == 1, quotes
    q = quotes[0]
    assert q.kind == "indirect"
    assert q.cue == cue
    assert q.text == content
    assert names.get(q.speaker_key) == speaker


@pytest.mark.parametrize(
    "text",
    [
        "The bridge was closed for repairs on Monday.",
        "Tom Reyes drove to the capital on Friday.",
        "The committee approved the budget.",
        "Heavy rain flooded the valley overnight.",
        "Prices rose by four percent in March.",
    ],
)
def test_events_are_not_attributions(nlp, tagger_weakness, text):
    if "approved the budget" in text:
        tagger_weakness(
            "the models of rounds 12 and 13 read 'approved the budget' as a stance (as round "
            "9's did; PolNeAR annotates stances such as 'backing')"
        )
    quotes, _ = _run(nlp, text)
    assert quotes == ()


def test_learned_cue_model_loads_and_scores(nlp):
    from dateline.stages.quotes_learned import candidates, features, load_model, score

    model = load_model()
    assert model is not None
    assert 0.0 < model.threshold < 1.0

    def best(text: str) -> float:
        doc = nlp(text)
        return max(score(model, features(doc, c)) for c in candidates(doc))

    assert best("Maria Lopez believes the new tax will hurt small towns.") > model.threshold
    assert best("Tom Reyes drove the old truck to the market.") < model.threshold


@pytest.mark.parametrize(
    ("text", "cue", "cls"),
    [
        # communication: statements
        ("Anna Petrova said that the budget would be cut by half.", "said", "speech"),
        ("Tom Reyes told reporters the mine would close.", "told", "speech"),
        ("The ministry announced that the border would reopen.", "announced", "speech"),
        ("According to Anna Petrova, the budget will be cut by half.", "According to", "speech"),
        ("Tom Reyes has argued that the tax is unfair.", "has argued", "speech"),
        ("Tom Reyes described the plan as a disaster.", "described", "speech"),
        ("Tom Reyes cited a study showing rising costs.", "cited", "speech"),
        # beliefs, positions, intentions: stances
        ("Senator Maria Lopez supports a ban on new pipelines.", "supports", "stance"),
        ("Governor Tom Reyes wants to raise the minimum wage.", "wants", "stance"),
        ("Maria Lopez is confident that the bill will pass.", "confident", "stance"),
        ("Tom Reyes seems to favour a quick deal.", "seems", "stance"),
        ("Maria Lopez believes the new tax will hurt small towns.", "believes", "stance"),
        ("Mayor Anna Petrova's claim that the bridge is safe was disputed.", "claim", "stance"),
    ],
)
def test_cue_class_speech_or_stance(nlp, text, cue, cls):
    quotes, _ = _run(nlp, text)
    found = [q for q in quotes if q.cue == cue]
    assert len(found) == 1, quotes
    assert found[0].cue_class == cls


def test_direct_quote_is_speech_whatever_the_verb(nlp):
    quotes, _ = _run(nlp, '"The river will flood the lower town again," Anna Petrova fears.')
    assert [q.kind for q in quotes] == ["direct"]
    assert quotes[0].cue_class == "speech"


@pytest.mark.parametrize(
    "text",
    [
        "The two governments signed eleven trade agreements in the capital.",
        "General Tom Reyes blocked the entry of the relief convoy.",
        "The rebels seized the northern airport on Sunday.",
        "Maria Lopez invested two million dollars in the port.",
        "Government troops attacked the rebel camp at dawn.",
    ],
)
def test_actions_are_not_quotes(nlp, tagger_weakness, text):
    if "signed eleven" in text:
        tagger_weakness(
            "round 16's model (quantised per channel) reads 'The two governments' as the "
            "source of 'signed' and the agreements as its content, and the confidence step "
            "keeps it (p 0.43 against 0.30), labelled an act (the test below); round 13's int8 "
            "model read the whole sentence as a content without a cue, which no statement "
            "takes (round 11 had the same miss)"
        )
    quotes, _ = _run(nlp, text)
    assert quotes == ()


def test_acts_read_as_attributions_are_labelled_action(nlp, quote_mode):
    """The rules read no act as a quote; the tagger, trained on PolNeAR (which annotates some
    acts), reads "signed" here as a cue, and what it keeps is labelled an act, never a
    statement (``dateline quotes`` lists statements only)."""
    quotes, _ = _run(nlp, "The two governments signed eleven trade agreements in the capital.")
    if quote_mode == "rules":
        assert quotes == ()
    assert [q.cue_class for q in quotes] == ["action"] * len(quotes)


@pytest.mark.parametrize(
    ("sentence", "word", "action"),
    [
        ("The two sides signed a deal.", "signed", True),
        ("The court struck down the new law.", "struck", True),
        ("The plant laid off two hundred workers.", "laid", True),
        ("Tom Reyes laid out his plan for the port.", "laid", False),  # phrasal speech
        ("Anna Petrova said the budget would be cut.", "said", False),
        ("Maria Lopez supports a ban on new pipelines.", "supports", False),
        ("Tom Reyes drove the old truck to the market.", "drove", False),  # in no list
        ("The rebels seized the northern airport.", "seized", True),
        ("Her rivals quickly seized on the remark.", "seized", False),  # phrasal, not listed
        ("The signs point to a close race.", "signs", False),  # a noun
    ],
)
def test_is_action(nlp, sentence, word, action):
    from dateline.stages.quotes_cues import is_action

    tok = next(t for t in nlp(sentence) if t.text == word)
    assert is_action(tok) is action


def test_action_verbs_are_in_no_other_class():
    from dateline.stages.quotes_cues import cue_classes

    classes = cue_classes()
    listed = {lemma for _, lemma in classes.table} | classes.light | classes.aspect
    assert classes.action
    assert sorted(classes.action & listed) == []


@pytest.mark.parametrize(
    ("sentence", "word", "cls"),
    [
        ("Tom Reyes is hoping to win the seat.", "hoping", "stance"),
        ("The council issued a statement on Monday.", "issued", "speech"),
        ("Tom Reyes laid out his plan for the port.", "laid", "speech"),
        ("Maria Lopez continued to insist the vote was fair.", "continued", "speech"),
        ("Maria Lopez continued to build the new road.", "continued", None),
        ("The two sides signed a deal.", "signed", None),
        ("Trump: we will win the state.", ":", "speech"),
    ],
)
def test_cue_class_lexicon(nlp, sentence, word, cls):
    from dateline.stages.quotes_cues import cue_class

    tok = next(t for t in nlp(sentence) if t.text == word)
    assert cue_class(tok) == cls


def test_every_reporting_verb_has_a_class():
    from dateline.stages.quotes_cues import cue_classes, reporting_verbs

    classes = cue_classes()
    aspect = classes.aspect  # "…," he continued: speech without an infinitive
    missing = [v for v in reporting_verbs() if ("verb", v) not in classes.table and v not in aspect]
    assert missing == []


# --- round 3: content-span boundary conventions ----------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        # a parenthetical cue: the content is the whole clause around it
        ("This budget, she says, is different.", "says", "This budget, she says, is different"),
        (
            "In the two years since the flood, Ortega says, too many homes have been lost.",
            "says",
            "In the two years since the flood, Ortega says, too many homes have been lost",
        ),
        # the writer's final period is not part of the reported content
        ("The mayor said the bridge will reopen in May.", "said", "the bridge will reopen in May"),
        # "called X a Y": the object belongs to what was called
        ("The senator called the plan a disaster.", "called", "the plan a disaster"),
        # a quotation closing right after the content keeps its closing mark
        ("The governor called him a \u201closer.\u201d", "called", "him a \u201closer.\u201d"),
    ],
)
def test_reported_content_boundaries(nlp, text, cue, content):
    quotes, _ = _run(nlp, text)
    found = [(q.cue, q.text) for q in quotes]
    assert (cue, content) in found, found


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("He said the plan will fail.", 8, 27, "the plan will fail"),
        ("He said it moved to the U.S.", 8, 28, "it moved to the U.S."),
        ("He said it was Smith Jr.", 8, 24, "it was Smith Jr."),
        ("He said no", 8, 10, "no"),
    ],
)
def test_drop_final_period(text, start, end, expected):
    from dateline.stages.quotes_bounds import drop_final_period

    assert text[start : drop_final_period(text, start, end)] == expected


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("called it \u201ca mess.\u201d Then", 7, 17, "it \u201ca mess.\u201d"),
        ("called it \u201ca mess,\u201d he said", 7, 17, "it \u201ca mess,\u201d"),
        ("called it a mess. Then", 7, 16, "it a mess"),  # no open mark: unchanged
    ],
)
def test_close_inner_quote(text, start, end, expected):
    from dateline.stages.quotes_bounds import close_inner_quote

    assert text[start : close_inner_quote(text, start, end)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('warned against "any aggressive steps" towards X', '"any aggressive steps" towards X'),
        ("warned against \u201cany steps\u201d towards X", "\u201cany steps\u201d towards X"),
        ('warned against "any steps towards X', '"any steps towards X'[1:]),  # no closing mark
        ("warned against any steps towards X", "any steps towards X"),  # no mark before
    ],
)
def test_open_inner_quote(text, expected):
    from dateline.stages.quotes_bounds import open_inner_quote

    start = text.index("any")
    assert text[open_inner_quote(text, start, len(text)) :] == expected


def test_a_reported_content_keeps_the_opening_mark_of_the_quotation_it_closes(nlp):
    text = (
        'The ministry said Zhelvin had warned Pryce against "any aggressive steps" towards '
        "Veloria and had insisted on talks."
    )
    from dateline.settings import Settings

    art = Article(id="t", source="t", text=text, content_hash="x")
    rules = Settings(quote_tagger=False)  # the rules read "warned … against" here
    found = extract_quotes(art, nlp(text), entities=(), settings=rules)
    warned = [q for q in found if q.cue == "had warned"]
    assert [q.text for q in warned] == ['"any aggressive steps" towards Veloria']


def test_headline_colon_candidate_stops_at_line_end(nlp):
    from dateline.stages.quotes_learned import candidates

    doc = nlp("Ortega: New Bridge Will Open Soon\nThe mayor spoke on Monday.")
    colon = [c for c in candidates(doc) if c.rel == "colon"]
    assert colon, "no colon candidate"
    c0, c1 = colon[0].content
    assert doc[c0:c1].text == "New Bridge Will Open Soon"


def _spelled_entities(text: str, spec: list[tuple[str, str, tuple[str, ...]]]):
    """Entities named ``name`` (type, aliases) with one mention each, at the name's first
    place only: what NER leaves when it misses a later "Sessions" or "Facebook"."""
    out = []
    for i, (name, typ, aliases) in enumerate(spec, start=1):
        at = text.index(name)
        mention = EntityMention(at, at + len(name), name, typ, f"e{i}")
        out.append(ArticleEntity(f"e{i}", name, typ, (name, *aliases), mentions=(mention,)))
    return tuple(out)


@pytest.mark.parametrize(
    ("text", "spec", "phrase", "expected"),
    [
        # a name NER left out is the entity the article spells so elsewhere
        (
            "Senator Jeff Sessions spoke in Mobile. Sessions continued: the bill is dead.",
            [("Jeff Sessions", "PERSON", ("Sessions",))],
            "Sessions continued",
            "Jeff Sessions",
        ),
        (
            "The Harbor Chronicle covered the vote. The Chronicle notes that turnout fell.",
            [("Harbor Chronicle", "ORG", ("Chronicle",))],
            "The Chronicle notes",
            "Harbor Chronicle",
        ),
        # the head word alone is a person's surname only
        (
            "Dana Brook of the Karsk Weekly spoke. The Weekly's Dana Brook wrote that it shut.",
            [("Dana Brook", "PERSON", ("Brook",))],
            "The Weekly's Dana Brook wrote",
            "Dana Brook",
        ),
        # a spelling two entities share goes to the one person among them
        (
            "Mayor Lena Ortega met the Ortega Foundation. Ortega said the port would reopen.",
            [("Lena Ortega", "PERSON", ("Ortega",)), ("Ortega Foundation", "ORG", ("Ortega",))],
            "Ortega said",
            "Lena Ortega",
        ),
        # ... and to nobody when two people share it
        (
            "Lena Ortega met Paulo Ortega on Monday. Ortega said the port would reopen.",
            [("Lena Ortega", "PERSON", ("Ortega",)), ("Paulo Ortega", "PERSON", ("Ortega",))],
            "Ortega said",
            None,
        ),
        # another determiner: no Mr Law; a capitalised word inside another name: not the body
        (
            "Steven Law runs the fund. Another Law said the rules were unfair.",
            [("Steven Law", "PERSON", ("Law",))],
            "Another Law said",
            None,
        ),
        (
            "Medicare covers millions. Medicare for All supporters said the plan was cheap.",
            [("Medicare", "ORG", ())],
            "Medicare for All supporters said",
            None,
        ),
        # lower case is no name
        (
            "The Party Congress met on Monday. The congress said the plan was final.",
            [("Party Congress", "ORG", ("congress",))],
            "The congress said",
            None,
        ),
    ],
)
def test_a_speaker_ner_left_out_is_the_entity_spelled_so(nlp, text, spec, phrase, expected):
    from dateline.stages.speakers import SpeakerResolver

    doc = nlp(text)
    ents = _spelled_entities(text, spec)
    at = text.rindex(phrase)
    cue = doc.char_span(at, at + len(phrase), alignment_mode="expand")
    assert cue is not None
    subject = next(t for t in cue if t.dep_ in {"nsubj", "nsubjpass"})
    span = doc[subject.left_edge.i : subject.right_edge.i + 1]
    speaker = SpeakerResolver(text, doc, ents).resolve(span.start, span.end)
    assert speaker is not None
    assert {e.key: e.name for e in ents}.get(speaker.key or "") == expected


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        (
            "Anna Petrova and Tom Reyes met in Geneva on Monday. "
            "The two ministers said the talks had gone well.",
            "The two ministers",
            ["Anna Petrova", "Tom Reyes"],
        ),
        (
            "Brazil and Argentina signed a trade pact on Monday. "
            "Both countries said the border would reopen.",
            "Both countries",
            ["Brazil", "Argentina"],
        ),
        # "They" after such a phrase is the pair too
        (
            "Anna Petrova and Tom Reyes met in Geneva on Monday. The two ministers praised "
            "the talks. They said that a treaty was close.",
            "They",
            ["Anna Petrova", "Tom Reyes"],
        ),
        # the noun names another kind of party, or the list has three: nobody
        (
            "Anna Petrova and Tom Reyes met in Geneva on Monday. "
            "Both countries said the border would reopen.",
            "Both countries",
            [],
        ),
        (
            "Anna Petrova, Tom Reyes and Lena Park met in Geneva on Monday. "
            "The two ministers said the talks had gone well.",
            "The two ministers",
            [],
        ),
    ],
)
def test_a_phrase_that_counts_two_is_the_pair_coordinated_before_it(nlp, text, phrase, expected):
    assert _speaker_of(nlp, text, phrase) == expected


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        # "it" that stands for the clause after the verb is no one
        ("Greenpeace met the minister. It is clear that the plan failed.", "It", []),
        ("Greenpeace met the minister. It seems that the plan failed.", "It", []),
        ("Greenpeace met the minister. It was reported that the plan failed.", "It", []),
        ("Greenpeace met the minister. It's difficult to guess why the plan failed.", "It", []),
        # ... but the body a referring "it" stands for is found
        ("Greenpeace met the minister. It said that the plan failed.", "It", ["Greenpeace"]),
        # "it" after a thing named in between is that thing, not a body further back
        (
            "Greenpeace met the minister on Monday. A draft resolution does not name anyone, "
            "but it condemns the plan.",
            "it",
            [],
        ),
        # pronouns that stand for no one named: never a guess
        ("Greenpeace met the minister on Monday. You might think the plan failed.", "You", []),
        ("Greenpeace met the minister on Monday. Some argue that the plan failed.", "Some", []),
        # "his" before a nominal cue is its own sentence's subject or owner, not an object
        (
            "Anna Petrova met Tom Reyes on Monday. Later, Tom Reyes repeated his pledge to "
            "cut taxes.",
            "his",
            ["Tom Reyes"],
        ),
        (
            "Anna Petrova met Tom Reyes on Monday. Tom Reyes, who wanted to beat Anna Petrova, "
            "spoke of his plan to cut taxes.",
            "his",
            ["Tom Reyes"],
        ),
        # "they" with no speaker or named subject before it is no place merely mentioned
        (
            "The message appeals to many young voters in Nevada. It is not just that they "
            "agree with the plan.",
            "they",
            [],
        ),
        # ... nor the singular name after a nearer plural subject
        (
            "Intelligence officials charged that Russia had interfered. In October, they said "
            "that the hacking was extensive.",
            "they",
            [],
        ),
        # "Both" alone is the pair named before it
        (
            "Anna Petrova and Tom Reyes met on Monday. Both said that the talks went well.",
            "Both",
            ["Anna Petrova", "Tom Reyes"],
        ),
    ],
)
def test_pronouns_stand_for_whom_they_can(nlp, text, phrase, expected):
    assert _speaker_of(nlp, text, phrase) == expected
