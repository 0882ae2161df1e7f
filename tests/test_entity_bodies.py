"""Government bodies written in lowercase after their owner become ORG entities."""

from __future__ import annotations

import pytest

from dateline.models import ArticleEntity, EntityMention
from dateline.stages.entity_bodies import find_bodies


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Talks ended, said the Russian foreign ministry.",
            [("Russian Foreign Ministry", "RUS", "Russian foreign ministry")],
        ),
        (
            "The Kremlin\u2019s foreign ministry published an account.",
            [("Russian Foreign Ministry", "RUS", "Kremlin\u2019s foreign ministry")],
        ),
        (
            "France's interior ministry denied it.",
            [("French Interior Ministry", "FRA", "France's interior ministry")],
        ),
        ("The ministry said nothing.", []),
        ("Karsk's foreign department said so.", []),  # an owner we cannot place: not guessed
        ("the big foreign ministry", []),
    ],
)
def test_find_bodies_names_and_countries(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = find_bodies(text, ())
    got = [(e.name, e.country, m.text) for e in found for m in e.mentions]
    assert got == expected
    for e in found:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text


def _named_once(text: str, words: str, name: str, typ: str) -> ArticleEntity:
    """Entity "e1" with one mention: ``words`` where they stand in ``text``."""
    start = text.index(words)
    mention = EntityMention(start, start + len(words), words, typ, "e1")
    return ArticleEntity("e1", name, typ, (words,), mentions=(mention,))


def test_find_bodies_skips_what_ner_already_found() -> None:
    text = "said the Russian foreign ministry"
    known = _named_once(text, "Russian foreign ministry", "Russian Foreign Ministry", "ORG")
    assert find_bodies(text, (known,)) == ()


def test_find_bodies_one_entity_per_body_with_new_keys() -> None:
    text = "The Russian foreign ministry said X. Later the Kremlin's foreign ministry added Y."
    existing = (ArticleEntity("e1", "X", "PERSON", ("X",)),)
    found = find_bodies(text, existing)
    assert len(found) == 1
    assert found[0].key == "e2"
    assert len(found[0].mentions) == 2


def test_an_owner_the_article_names_as_a_nationality_names_the_body() -> None:
    # "Karskian" is no place the lexicon knows; NER read it as a nationality, so the body
    # is the Karskian foreign ministry, as written, with no country
    text = "A day earlier, the Karskian foreign ministry summoned the ambassador."
    found = find_bodies(text, (_named_once(text, "Karskian", "Karskian", "NORP"),))
    assert [(e.key, e.name, e.type, e.country) for e in found] == [
        ("e2", "Karskian Foreign Ministry", "ORG", None)
    ]
    assert [m.text for m in found[0].mentions] == ["Karskian foreign ministry"]
    # the same owner as an organisation (a company, a party) names no government body
    assert find_bodies(text, (_named_once(text, "Karskian", "Karskian", "ORG"),)) == ()
