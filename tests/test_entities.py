"""Per-article entities: clustering, roles, role-only references, countries, sectors."""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.models import Article, ArticleEntity
from dateline.nlp import load_nlp
from dateline.stages.entities import VERSION, entity_at, extract_entities, sector_of

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _run(nlp, text: str) -> tuple[ArticleEntity, ...]:
    article = Article(id="t", source="t", text=text, content_hash="x")
    return extract_entities(article, nlp(text))


def _person(ents: tuple[ArticleEntity, ...], name: str) -> ArticleEntity:
    hits = [e for e in ents if e.type == "PERSON" and e.name == name]
    assert len(hits) == 1, [(e.name, e.type) for e in ents]
    return hits[0]


def test_version():
    assert VERSION == "entities.v5"


def test_a_name_ner_joins_to_the_end_of_a_title_is_a_person(nlp):
    # spaCy's small model reads "State Harlan Pryce" as one organisation
    text = "Norland's Secretary of State Harlan Pryce met the press on Monday. Pryce said little."
    ents = _run(nlp, text)
    pryce = _person(ents, "Harlan Pryce")
    assert [m.text for m in pryce.mentions] == ["Harlan Pryce", "Pryce"]
    assert any("Secretary of State" in r for r in pryce.roles)
    assert not [e.name for e in ents if "Pryce" in e.name and e.type != "PERSON"]


def test_an_organisation_after_a_title_stays_one(nlp):
    ents = _run(nlp, "Ana Duarte, the president of General Motors, spoke on Monday.")
    assert [e.name for e in ents if e.type == "PERSON"] == ["Ana Duarte"]
    assert "General Motors" in [e.name for e in ents if e.type == "ORG"]


@pytest.mark.parametrize(
    ("text", "name", "aliases"),
    [
        (
            "Russian Foreign Minister Ivan Petrov met his Brazilian counterpart Marta Silva in "
            "Moscow on Monday. Petrov said the talks were useful, and Silva's office agreed.",
            "Ivan Petrov",
            {"Ivan Petrov", "Petrov"},
        ),
        (
            "Russian Foreign Minister Ivan Petrov met his Brazilian counterpart Marta Silva in "
            "Moscow on Monday. Petrov said the talks were useful, and Silva's office agreed.",
            "Marta Silva",
            {"Marta Silva", "Silva"},
        ),
        (
            "U.S. Secretary of State John Miller called Chinese Vice President Li Wen on Friday. "
            "Miller urged calm.",
            "John Miller",
            {"John Miller", "Miller"},
        ),
    ],
)
def test_extract_entities_clusters_surname_mentions(nlp, text, name, aliases):
    ents = _run(nlp, text)
    person = _person(ents, name)
    assert set(person.aliases) == aliases
    # possessive stripped from the mention span
    assert all(not m.text.endswith("'s") for m in person.mentions)


@pytest.mark.parametrize(
    ("text", "name", "role", "country"),
    [
        (
            "Russian Foreign Minister Ivan Petrov met his Brazilian counterpart Marta Silva.",
            "Ivan Petrov",
            "Russian Foreign Minister",
            "RUS",
        ),
        (
            "Russian Foreign Minister Ivan Petrov met his Brazilian counterpart Marta Silva.",
            "Marta Silva",
            "Brazilian counterpart",
            "BRA",
        ),
        (
            "U.S. Secretary of State John Miller called Chinese Vice President Li Wen on Friday.",
            "John Miller",
            "U.S. Secretary of State",
            "USA",
        ),
        (
            "U.S. Secretary of State John Miller called Chinese Vice President Li Wen on Friday.",
            "Li Wen",
            "Chinese Vice President",
            "CHN",
        ),
        (
            "Mexico's top diplomat Lucia Reyes arrived in Madrid on Tuesday.",
            "Lucia Reyes",
            "Mexico's top diplomat",
            "MEX",
        ),
        (
            "Opposition leader Rafael Ortega, who had proclaimed himself as the interim "
            "president, called for protests in Caracas.",
            "Rafael Ortega",
            "interim president",
            None,
        ),
    ],
)
def test_extract_entities_roles_and_country(nlp, text, name, role, country):
    ents = _run(nlp, text)
    person = _person(ents, name)
    assert role in person.roles
    assert person.country == country
    rm = [r for r in person.role_mentions if r.text == role]
    assert rm
    assert text[rm[0].start : rm[0].end] == role


@pytest.mark.parametrize(
    ("text", "name", "reference"),
    [
        (
            "French President Claire Dubois spoke to reporters in Paris. Later, the French "
            "president said she would visit Berlin.",
            "Claire Dubois",
            "French president",
        ),
        (
            "German Chancellor Anna Keller and French President Paul Girard met in Brussels. "
            "The German leader said the meeting went well.",
            "Anna Keller",
            "German leader",
        ),
        (
            "Mexico's top diplomat Lucia Reyes arrived in Madrid on Tuesday. Reyes said that the "
            "Mexican foreign minister would not comment further.",
            "Lucia Reyes",
            "Mexican foreign minister",
        ),
    ],
)
def test_extract_entities_links_role_only_reference(nlp, text, name, reference):
    person = _person(_run(nlp, text), name)
    roles = [m for m in person.mentions if m.label == "ROLE"]
    assert [m.text for m in roles] == [reference]


def test_extract_entities_transliterated_and_mislabelled_mentions_join(nlp):
    text = (
        "Dmitri Sokolov met the press. Later Dmitry Sokolov said the deal was done, and "
        "Sokolov's aides agreed."
    )
    ents = _run(nlp, text)
    assert len(ents) == 1
    assert set(ents[0].aliases) == {"Dmitri Sokolov", "Dmitry Sokolov", "Sokolov"}
    assert {m.label for m in ents[0].mentions} == {"PERSON"}


def test_extract_entities_shared_surname_stays_unlinked(nlp):
    text = (
        "Delia Marquez and her brother Jorge Marquez attended the rally in Lima. Marquez said "
        "the government had failed."
    )
    people = {e.name: e for e in _run(nlp, text) if e.type == "PERSON"}
    assert set(people) == {"Delia Marquez", "Jorge Marquez", "Marquez"}
    assert people["Delia Marquez"].aliases == ("Delia Marquez",)


def test_a_father_and_his_son_are_two_people(nlp):
    text = (
        "Governor Tomas Varga met reporters on Monday. His son Tomas Varga Jr. said the deal "
        "was about the harbour. Varga said he knew nothing about it. Varga Jr. later changed "
        "his story."
    )
    people = {e.name: sorted({m.text for m in e.mentions}) for e in _run(nlp, text)}
    assert people["Tomas Varga"] == ["Tomas Varga", "Varga"]
    assert people["Tomas Varga Jr."] == ["Tomas Varga Jr.", "Varga Jr."]


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # the bare surname comes before the son is named: it is not the son
        (
            "What Varga knew is the question. Did Varga hear of the offers made to his son "
            "Tomas Varga Jr. in June? If so, did Varga believe them?",
            {"Varga": ["Varga"], "Tomas Varga Jr.": ["Tomas Varga Jr."]},
        ),
        # after the full name, the bare surname is his
        (
            "Tomas Varga Jr. spoke to the dockers on Monday. Varga said the strike would go on.",
            {"Tomas Varga Jr.": ["Tomas Varga Jr.", "Varga"]},
        ),
    ],
)
def test_a_bare_surname_before_a_suffixed_name_is_not_that_person(nlp, text, people):
    found = {
        e.name: sorted({m.text for m in e.mentions}) for e in _run(nlp, text) if e.type == "PERSON"
    }
    assert found == people


def test_extract_entities_acronym_needs_capitals(nlp):
    text = "President Trump said he would meet Kim Jong Un in the spring."
    ents = _run(nlp, text)
    assert not [e for e in ents if e.type == "ORG"]
    assert "Kim Jong Un" in {e.name for e in ents}


def test_extract_entities_ambiguous_role_reference_is_not_linked(nlp):
    text = (
        "Egyptian Foreign Minister Omar Haddad and Jordanian Foreign Minister Sami Nasser met in "
        "Cairo. The foreign minister said the talks were productive."
    )
    ents = _run(nlp, text)
    assert not [m for e in ents for m in e.mentions if m.label == "ROLE"]


@pytest.mark.parametrize(
    ("text", "name", "country", "sector"),
    [
        ("The Kremlin said it was ready for talks, according to Reuters.", "Kremlin", "RUS", "GOV"),
        ("The Kremlin said it was ready for talks, according to Reuters.", "Reuters", None, "MED"),
        ("Officials in Moscow declined to comment.", "Moscow", "RUS", None),
        ("The United States and Canada signed the deal.", "United States", "USA", None),
    ],
)
def test_extract_entities_places_and_orgs(nlp, text, name, country, sector):
    ents = {e.name: e for e in _run(nlp, text)}
    assert name in ents, list(ents)
    assert ents[name].country == country
    assert sector_of(ents[name]) == sector


def test_extract_entities_country_variants_are_one_entity(nlp):
    text = "The U.S. imposed sanctions. The United States said more would follow."
    ents = [e for e in _run(nlp, text) if e.type == "GPE"]
    assert len(ents) == 1
    assert ents[0].country == "USA"
    assert set(ents[0].aliases) == {"U.S.", "United States"}


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Russian Foreign Minister Ivan Petrov met reporters.", "Ivan Petrov", "GOV"),
        ("Opposition leader Rafael Ortega called for protests.", "Rafael Ortega", "OPP"),
        ("Defense Minister Karl Brandt inspected the troops.", "Karl Brandt", "MIL"),
    ],
)
def test_sector_of_person(nlp, text, name, expected):
    assert sector_of(_person(_run(nlp, text), name)) == expected


def test_extract_entities_offsets_keys_and_order(nlp):
    text = (
        "Russian Foreign Minister Ivan Petrov met his Brazilian counterpart Marta Silva in "
        "Moscow. Petrov said Silva's visit mattered."
    )
    ents = _run(nlp, text)
    assert [e.key for e in ents] == [f"e{i}" for i in range(1, len(ents) + 1)]
    firsts = [e.mentions[0].start for e in ents]
    assert firsts == sorted(firsts)
    for e in ents:
        assert [m.start for m in e.mentions] == sorted(m.start for m in e.mentions)
        for m in e.mentions:
            assert text[m.start : m.end] == m.text
            assert m.key == e.key
        for r in e.role_mentions:
            assert text[r.start : r.end] == r.text


def test_entity_at_prefers_largest_overlap(nlp):
    text = "Russian Foreign Minister Ivan Petrov met reporters."
    ents = _run(nlp, text)
    found = entity_at(ents, 0, text.index(" met"))
    assert found is not None
    assert found.name == "Ivan Petrov"
    assert entity_at(ents, text.index("reporters"), len(text)) is None


@pytest.mark.parametrize("text", ["", "   ", "!!!", "the of and", "\u201c\u201d"])
def test_extract_entities_messy_input(nlp, text):
    assert _run(nlp, text) == ()


def test_extract_entities_doc_mismatch_returns_nothing(nlp):
    article = Article(id="t", source="t", text="Ivan Petrov spoke.", content_hash="x")
    assert extract_entities(article, nlp("Something else entirely.")) == ()


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
def test_extract_entities_seed_offsets(nlp, path):
    text = path.read_text(encoding="utf-8")
    ents = _run(nlp, text)
    assert any(e.type == "PERSON" for e in ents)
    for e in ents:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text


@pytest.mark.parametrize("text", ["the president", "He met the president", "X. the minister"])
def test_extract_entities_role_word_at_the_very_end_does_not_fail(text: str) -> None:
    from dateline.nlp import load_nlp

    doc = load_nlp()(text)
    article = Article(id="a", source="a", text=text, content_hash="h")
    assert isinstance(extract_entities(article, doc), tuple)
