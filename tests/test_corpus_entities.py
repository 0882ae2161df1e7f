"""Corpus canonical entities: variants merge, different people stay apart, ids are stable."""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.corpus.entities import VERSION, canonicalise
from dateline.models import Article, ArticleAnalysis, ArticleEntity, EntityMention
from dateline.text import fold

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _ent(key: str, name: str, typ: str = "PERSON", *, roles=(), country=None, forms=()):
    forms = forms or (name,)
    mentions = tuple(
        EntityMention(i * 10, i * 10 + len(f), f, typ, key) for i, f in enumerate(forms)
    )
    return ArticleEntity(
        key, name, typ, tuple(dict.fromkeys(forms)), tuple(roles), country, mentions
    )


def _analysis(aid: str, *ents: ArticleEntity) -> ArticleAnalysis:
    article = Article(id=aid, source=aid, text="", content_hash=aid)
    return ArticleAnalysis(article=article, entities=ents)


def _groups(analyses):
    entities, mapping = canonicalise(analyses)
    by_id = {e.id: e for e in entities}
    return entities, mapping, by_id


def test_version():
    assert VERSION == "corpus_entities.v5"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Dmitri Volkov", "Dmitry Volkov"),  # transliteration
        ("Ramón Núñez", "Ramon Nunez"),  # accents
        ("Ana Duarte", "ANA DUARTE"),  # case
        ("Ana Duarte", "Ana Duarte Morales"),  # a longer full name containing the short one
        ("Ana Duarte", "A. Duarte"),  # an initial
        ("Ana Duarte", "Ana M. Duarte"),  # a middle initial
        ("Ana Duarte", "Ana M.L. Duarte"),  # middle initials
    ],
)
def test_canonicalise_merges_name_variants(a, b):
    analyses = [_analysis("a1", _ent("e1", a)), _analysis("a2", _ent("e1", b))]
    _, mapping, _ = _groups(analyses)
    assert mapping[("a1", "e1")] == mapping[("a2", "e1")]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Delia Marquez", "Jorge Marquez"),  # same surname, different people
        ("Ana Duarte", "Ana Duran"),  # same first name
        ("Ivan Petrov", "Ivana Petrova"),
        ("Tomas Varga Sr.", "Tomas Varga Jr."),  # a father and his son
        ("Tomas Varga", "Tomas Quincy Varga"),  # a middle name written out: maybe his son
    ],
)
def test_canonicalise_keeps_different_people_apart(a, b):
    analyses = [_analysis("a1", _ent("e1", a)), _analysis("a2", _ent("e1", b))]
    _, mapping, _ = _groups(analyses)
    assert mapping[("a1", "e1")] != mapping[("a2", "e1")]


def test_canonicalise_a_suffix_parts_two_people_only_where_an_article_names_both():
    father, son = _ent("e1", "Tomas Varga"), _ent("e2", "Tomas Varga Jr.")
    # one person written with and without his suffix by two outlets
    _, mapping, _ = _groups([_analysis("a1", father), _analysis("a2", _ent("e1", son.name))])
    assert mapping[("a1", "e1")] == mapping[("a2", "e1")]
    # an article that names both says they are two people: father and son
    analyses = [
        _analysis("a1", father),
        _analysis("a2", _ent("e1", son.name)),
        _analysis("a3", father, son),
    ]
    _, mapping, by_id = _groups(analyses)
    assert mapping[("a1", "e1")] == mapping[("a3", "e1")]
    assert mapping[("a2", "e1")] == mapping[("a3", "e2")]
    assert mapping[("a1", "e1")] != mapping[("a2", "e1")]
    assert by_id[mapping[("a2", "e1")]].name == "Tomas Varga Jr."


def test_canonicalise_middle_names_that_differ_leave_the_short_name_alone():
    # "George Bush" beside "George W. Bush" and "George H.W. Bush": which one is unknown
    names = ["Tomas Varga", "Tomas W. Varga", "Tomas H.W. Varga"]
    analyses = [_analysis(f"a{i}", _ent("e1", n)) for i, n in enumerate(names)]
    _, mapping, _ = _groups(analyses)
    ids = [mapping[(f"a{i}", "e1")] for i in range(len(names))]
    assert ids[0] not in ids[1:]
    assert ids[1] != ids[2]


def test_canonicalise_a_middle_name_with_another_role_is_another_person():
    # Senator John Kennedy is not President John F. Kennedy
    analyses = [
        _analysis("a1", _ent("e1", "Tomas Varga", roles=("Senator",))),
        _analysis("a2", _ent("e1", "Tomas F. Varga", roles=("former President",))),
        _analysis("a3", _ent("e1", "Tomas Varga", roles=("senator",))),
    ]
    _, mapping, _ = _groups(analyses)
    assert mapping[("a1", "e1")] == mapping[("a3", "e1")]
    assert mapping[("a1", "e1")] != mapping[("a2", "e1")]


def test_canonicalise_surname_attaches_to_unique_full_name():
    analyses = [
        _analysis("a1", _ent("e1", "Ivan Petrov", forms=("Ivan Petrov", "Petrov", "Petrov"))),
        _analysis("a2", _ent("e1", "Petrov")),
        _analysis("a3", _ent("e4", "Petrov", "ORG")),  # NER mislabel of the surname
    ]
    entities, mapping, by_id = _groups(analyses)
    ids = {mapping[("a1", "e1")], mapping[("a2", "e1")], mapping[("a3", "e4")]}
    assert len(ids) == 1
    ent = by_id[ids.pop()]
    assert ent.name == "Ivan Petrov"
    assert ent.type == "PERSON"
    assert ent.article_ids == ("a1", "a2", "a3")
    assert len(entities) == 1


def test_canonicalise_ambiguous_surname_is_not_merged():
    analyses = [
        _analysis("a1", _ent("e1", "Delia Marquez")),
        _analysis("a2", _ent("e1", "Jorge Marquez")),
        _analysis("a3", _ent("e1", "Marquez")),
    ]
    _, mapping, by_id = _groups(analyses)
    assert len({mapping[("a1", "e1")], mapping[("a2", "e1")], mapping[("a3", "e1")]}) == 3
    assert by_id[mapping[("a3", "e1")]].name == "Marquez"


def test_canonicalise_a_legislature_named_like_a_surname_is_not_a_person():
    # NER gives "the House" as an organisation; a reporter named Billy House is a person
    analyses = [
        _analysis("a1", _ent("e1", "Billy House")),
        _analysis("a2", _ent("e1", "House", "ORG")),
        _analysis("a3", _ent("e1", "Senate", "ORG")),
        _analysis("a4", _ent("e1", "Joe Kennedy Senate")),
    ]
    _, mapping, by_id = _groups(analyses)
    assert mapping[("a1", "e1")] != mapping[("a2", "e1")]
    assert by_id[mapping[("a2", "e1")]].type == "ORG"
    assert mapping[("a3", "e1")] != mapping[("a4", "e1")]


def test_canonicalise_a_surname_with_a_role_joins_the_one_person_who_holds_it():
    analyses = [
        _analysis("a1", _ent("e1", "Delia Marquez", roles=("former Foreign Minister",))),
        _analysis("a2", _ent("e1", "Jorge Marquez", roles=("Mayor",))),
        _analysis("a3", _ent("e1", "Marquez", roles=("Senator",))),  # neither is a senator
        _analysis("a4", _ent("e1", "Marquez", roles=("foreign minister",))),
        _analysis("a5", _ent("e1", "Marquez", roles=("former Mayor",))),
    ]
    _, mapping, _ = _groups(analyses)
    assert mapping[("a4", "e1")] == mapping[("a1", "e1")]
    assert mapping[("a5", "e1")] == mapping[("a2", "e1")]
    assert mapping[("a3", "e1")] not in {mapping[("a1", "e1")], mapping[("a2", "e1")]}


def test_canonicalise_place_named_like_a_surname_is_not_a_person():
    analyses = [
        _analysis("a1", _ent("e1", "Tom Washington")),
        _analysis("a2", _ent("e1", "Washington", "GPE")),
    ]
    _, mapping, by_id = _groups(analyses)
    assert mapping[("a1", "e1")] != mapping[("a2", "e1")]
    assert by_id[mapping[("a2", "e1")]].type == "GPE"


def test_canonicalise_name_roles_country():
    analyses = [
        _analysis(
            "a1",
            _ent(
                "e1",
                "Dmitri Volkov",
                roles=("Russian Foreign Minister",),
                country="RUS",
                forms=("Dmitri Volkov", "Volkov"),
            ),
        ),
        _analysis(
            "a2",
            _ent(
                "e2",
                "Dmitry Volkov",
                roles=("Russian foreign minister", "top diplomat"),
                country="RUS",
            ),
        ),
        _analysis("a3", _ent("e1", "Dmitri Volkov", country="BLR")),
        _analysis("a4", _ent("e3", "Dmitri Volkov", country="RUS")),
    ]
    entities, _, _ = _groups(analyses)
    assert len(entities) == 1
    ent = entities[0]
    assert ent.name == "Dmitri Volkov"  # the most frequent full form
    assert ent.country == "RUS"  # majority
    assert set(ent.aliases) == {"Dmitri Volkov", "Dmitry Volkov", "Volkov"}
    assert len(ent.roles) == 2  # case variants of one role deduplicated
    assert ent.article_ids == ("a1", "a2", "a3", "a4")


def test_canonicalise_countries_merge_by_code():
    analyses = [
        _analysis("a1", _ent("e1", "U.S.", "GPE", country="USA")),
        _analysis("a2", _ent("e3", "United States", "GPE", country="USA")),
        _analysis("a3", _ent("e2", "Canada", "GPE", country="CAN")),
    ]
    _, mapping, _ = _groups(analyses)
    assert mapping[("a1", "e1")] == mapping[("a2", "e3")] != mapping[("a3", "e2")]


def test_canonicalise_is_order_independent_and_stable():
    analyses = [
        _analysis("a1", _ent("e1", "Dmitri Volkov"), _ent("e2", "Volkov")),
        _analysis("a2", _ent("e1", "Dmitry Volkov"), _ent("e2", "Moscow", "GPE", country="RUS")),
        _analysis("a3", _ent("e1", "Moscow", "GPE"), _ent("e2", "Ana Duarte")),
    ]
    first = canonicalise(analyses)
    assert canonicalise(list(reversed(analyses))) == first
    assert canonicalise(analyses) == first
    assert all(e.id.startswith("ent_") for e in first[0])
    assert len({e.id for e in first[0]}) == len(first[0])


def test_canonicalise_empty():
    assert canonicalise([]) == ((), {})


def test_canonicalise_seed_variants_are_one_entity_each():
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip("shared seeds not available")
    from dateline.nlp import load_nlp
    from dateline.stages.entities import extract_entities

    nlp = load_nlp()
    analyses = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        article = Article(id=path.stem, source=str(path), text=text, content_hash=path.stem)
        analyses.append(ArticleAnalysis(article, extract_entities(article, nlp(text))))
    entities, _ = canonicalise(analyses)
    people = [e for e in entities if e.type == "PERSON"]
    # every person name variant (folded surname) lands in exactly one entity
    surnames: dict[str, set[str]] = {}
    for e in people:
        for alias in e.aliases:
            surname = fold(alias.split()[-1])
            surnames.setdefault(surname, set()).add(e.id)
    multi = {s: ids for s, ids in surnames.items() if len(ids) > 1}
    assert not multi, multi
    assert all(len(e.name.split()) >= 2 for e in people if len(e.aliases) > 1)
