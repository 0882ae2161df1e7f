"""Framing: the terms an article uses for an entity, aggregated and compared per outlet."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dateline.cli.compare import build_table, find_entity
from dateline.corpus.framing import (
    aggregate_framing,
    compare_framing,
    normalise_term,
    unique_terms,
)
from dateline.models import (
    Article,
    ArticleEntity,
    Entity,
    EntityMention,
    Framing,
    FramingTerm,
    Quote,
    Result,
)
from dateline.nlp import load_nlp
from dateline.outlets import load_registry
from dateline.stages.framing import extract_framing

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _entities(doc) -> tuple[ArticleEntity, ...]:
    """Hand-built entities: one per PERSON/ORG/GPE surname, keyed in order of appearance."""
    keys: dict[str, str] = {}
    mentions: dict[str, list[EntityMention]] = {}
    names: dict[str, str] = {}
    for ent in doc.ents:
        if ent.label_ not in {"PERSON", "ORG", "GPE", "PRODUCT", "FAC", "LOC"}:
            continue
        last = ent[-1].text.replace("\u2019s", "")
        key = keys.setdefault(last, f"e{len(keys) + 1}")
        names.setdefault(key, ent.text)
        mentions.setdefault(key, []).append(
            EntityMention(ent.start_char, ent.end_char, ent.text, ent.label_, key)
        )
    return tuple(
        ArticleEntity(key=k, name=names[k], type="PERSON", aliases=(), mentions=tuple(m))
        for k, m in mentions.items()
    )


def _framing(
    text: str, quotes: tuple[Quote, ...] = (), *, quoted: bool = False
) -> list[tuple[str, str, str]]:
    """(surname, term, kind) of the terms in the outlet's own voice (or only quoted ones)."""
    doc = load_nlp()(text)
    article = Article(id="t", source="t", text=text, content_hash="h")
    ents = _entities(doc)
    names = {e.key: e.name.split()[-1] for e in ents}
    terms = extract_framing(article, doc, entities=ents, quotes=quotes)
    for t in terms:
        assert text[t.start : t.end] == t.term
    assert [t.start for t in terms] == sorted(t.start for t in terms)
    return [(names[t.entity_key], t.term, t.kind) for t in terms if t.quoted == quoted]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The rally was a blow to authoritarian strongman Viktor Orlov on Sunday.",
            ("Orlov", "authoritarian strongman", "modifier"),
        ),
        (
            "Critics met opposition leader Anna Berg in the capital.",
            ("Berg", "opposition leader", "role"),
        ),
        ("Sanctions hit the Orlov regime hard last year.", ("Orlov", "regime", "label")),
        ("Sanctions hit Orlov's government hard last year.", ("Orlov", "government", "label")),
        (
            "Moscow backs the legitimate government of Viktor Orlov.",
            ("Orlov", "legitimate government", "label"),
        ),
        (
            "Moscow backs the \u201clegitimate government\u201d of Viktor Orlov.",
            ("Orlov", "legitimate government", "scare_quote"),
        ),
        (
            "Leaders met Anna Berg, the self-proclaimed interim president, in Lima.",
            ("Berg", "self-proclaimed interim president", "role"),
        ),
        (
            "Viktor Orlov, a former puppet of the army, ordered the troops to fire.",
            ("Orlov", "former puppet", "appositive"),
        ),
        (
            "Then Anna Berg proclaimed herself the \u201cinterim president\u201d of the land.",
            ("Berg", "interim president", "scare_quote"),
        ),
        (
            "Russian-backed Viktor Orlov blocked the aid convoy.",
            ("Orlov", "Russian-backed", "modifier"),
        ),
    ],
)
def test_extract_framing_terms(sentence, expected):
    assert expected in _framing(sentence)


def test_extract_framing_coreferent_definite_noun():
    text = (
        "Rebels fought socialist dictator Viktor Orlov in the north. "
        "Soldiers loyal to the dictator shelled the town."
    )
    got = _framing(text)
    dictator_terms = [g for g in got if g[1] == "dictator"]
    assert dictator_terms
    assert dictator_terms[0][0] == "Orlov"


def test_extract_framing_marks_terms_inside_direct_quotes():
    text = (
        '"We support the legitimate government of Viktor Orlov against every threat '
        'from abroad," the minister said.'
    )
    assert _framing(text) == []  # nothing in the outlet's own voice
    assert ("Orlov", "legitimate government", "label") in _framing(text, quoted=True)


def test_extract_framing_skips_quote_spans_passed_in():
    text = "Berg said the Orlov regime had failed. Later the Orlov regime fell."
    first = text.index("the Orlov")
    quote = Quote(
        id="q1",
        article_id="t",
        start=first,
        end=text.index(" had") + 11,
        text=text[first : text.index(" had") + 11],
        kind="direct",
        speaker_key="e1",
        speaker_text="Berg",
        cue="said",
    )
    assert _framing(text, (quote,)) == [("Orlov", "regime", "label")]
    assert _framing(text, (quote,), quoted=True) == [("Orlov", "regime", "label")]


def test_extract_framing_messy_input_never_raises():
    for text in ["", "\u201c unbalanced quote Orlov", "Orlov ,,, \u201d \u201d regime"]:
        _framing(text)


def _term(article, key, term, start=0):
    return FramingTerm(
        article_id=article,
        entity_key=key,
        term=term,
        start=start,
        end=start + len(term),
        kind="role",
    )


def test_aggregate_and_compare_framing():
    terms = [
        _term("a1", "e1", "dictator", 5),
        _term("a1", "e1", "the regime", 20),
        _term("a2", "e4", "President", 3),
        _term("a3", "e2", "Dictator", 1),
        _term("a3", "e9", "unmapped"),
    ]
    outlets = {"a1": "Outlet A", "a2": "Outlet B", "a3": "Outlet A"}
    entity_of = {("a1", "e1"): "E1", ("a2", "e4"): "E1", ("a3", "e2"): "E1"}
    framing = aggregate_framing(terms, article_outlets=outlets, entity_of=entity_of)
    assert [(f.outlet, f.entity, len(f.terms)) for f in framing] == [
        ("Outlet A", "E1", 3),
        ("Outlet B", "E1", 1),
    ]
    comparison = compare_framing(framing, "E1")
    assert comparison == {"Outlet A": {"dictator": 2, "regime": 1}, "Outlet B": {"president": 1}}
    assert unique_terms(comparison) == {
        "Outlet A": ("dictator", "regime"),
        "Outlet B": ("president",),
    }
    assert compare_framing(framing, "nope") == {}


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("The Maduro regime", "maduro regime"),
        ("\u201cinterim  president\u201d", "interim president"),
        ("Self\u2011proclaimed", "self-proclaimed"),
    ],
)
def test_normalise_term(raw, norm):
    assert normalise_term(raw) == norm


def _result() -> Result:
    ents = (
        Entity("E1", "Nicolás Ortega", "PERSON", ("Ortega",), (), "VEN", ("a1", "a2")),
        Entity("E2", "Ortega Foundation", "ORG", (), (), None, ("a1",)),
    )
    framing = (
        Framing("Breitbart", "E1", (_term("a1", "e1", "dictator"),)),
        Framing("Xinhua", "E1", (_term("a2", "e1", "president"),)),
    )
    return Result(entities=ents, framing=framing)


def test_find_entity_accent_and_alias_insensitive():
    result = _result()
    assert find_entity(result, "nicolas ortega").id == "E1"
    assert find_entity(result, "ORTEGA").id == "E1"
    assert find_entity(result, "foundation").id == "E2"
    assert find_entity(result, "nobody") is None


def test_compare_table_and_cli(monkeypatch):
    from dateline.cli import app
    from dateline.cli import compare as compare_mod

    table, comparison = build_table(_result(), _result().entities[0], load_registry())
    assert list(comparison) == ["Breitbart", "Xinhua"]
    assert len(table.columns) == 2

    class FakeStore:
        def load_result(self):
            return _result()

        def close(self):
            pass

    monkeypatch.setattr(compare_mod, "open_existing", lambda db: FakeStore())
    res = CliRunner().invoke(app, ["compare", "--entity", "Ortega", "--json"])
    assert res.exit_code == 0, res.output
    assert '"dictator"' in res.output
    assert '"state news agency"' in res.output
    res = CliRunner().invoke(app, ["compare", "--entity", "Nobody"])
    assert res.exit_code == 1


def _seed_terms(name: str) -> list[tuple[str, str, str]]:
    path = SEEDS / name
    if not path.exists():
        pytest.skip("shared seeds not available")
    return _framing(path.read_text(encoding="utf-8"))


def test_seed_partisan_article_calls_maduro_dictator():
    got = _seed_terms("002_e01321085d2590f2.txt")
    maduro = {t.casefold() for who, t, _ in got if who == "Maduro"}
    assert any("dictator" in t for t in maduro)
    assert "regime" in maduro


def test_seed_self_proclaimed_guaido():
    got = _seed_terms("004_b9abf42fcc1bfcba.txt")
    assert any(who.startswith("Guaid") and "self-proclaimed" in t for who, t, _ in got)


def _real_framing(text: str) -> list[tuple[str, str]]:
    from dateline.stages.entities import extract_entities

    doc = load_nlp()(text)
    article = Article(id="t", source="t", text=text, content_hash="h")
    ents = extract_entities(article, doc)
    names = {e.key: e.name for e in ents}
    return [(names[t.entity_key], t.term) for t in extract_framing(article, doc, entities=ents)]


def test_extract_framing_evaluated_role_goes_to_its_only_holder():
    text = (
        "President Viktor Orlov met farmers. Aides said the legitimate president would "
        "return. Later the president spoke."
    )
    got = _real_framing(text)
    assert ("Viktor Orlov", "legitimate president") in got


def test_extract_framing_evaluated_role_ambiguous_holder_is_skipped():
    text = (
        "President Viktor Orlov met President Ana Berg. Aides said the legitimate president "
        "would return."
    )
    assert all(term != "legitimate president" for _name, term in _real_framing(text))


def test_extract_framing_evaluated_role_prefers_the_unqualified_holder():
    text = (
        "President Viktor Orlov met interim president Ana Berg. Aides said the legitimate "
        "president would stay."
    )
    assert ("Viktor Orlov", "legitimate president") in _real_framing(text)
