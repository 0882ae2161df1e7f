"""Stories: near-duplicates, same-story clustering, incremental ids, determinism.

All articles are short fictional news pieces written for these tests.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dateline.corpus.minhash import duplicate_groups, words
from dateline.corpus.stories import cluster_stories, near_duplicates, story_id
from dateline.models import Article, ArticleAnalysis, Story
from dateline.text import content_hash

QUAKE_A = (
    "A magnitude 6.1 earthquake struck the mountain town of Veldoria early on Tuesday, "
    "collapsing the old clock tower and killing at least 14 people, the Veldoria fire "
    "brigade said. Mayor Ottilie Brandvik said rescue teams from Karsk were searching the "
    "rubble near Pellam Square. The quake's epicentre lay 9 kilometres under the Ruskin "
    "valley, the Karsk seismology institute reported. Hundreds of residents slept outdoors."
)
QUAKE_A_WIRE = (
    "VELDORIA (Wire) -- A magnitude 6.1 earthquake struck the mountain town of Veldoria early "
    "on Tuesday, collapsing the old clock tower and killing at least 14 people, the Veldoria "
    "fire brigade said. Mayor Ottilie Brandvik said rescue teams from Karsk were searching the "
    "rubble near Pellam Square. The quake's epicentre lay 9 kilometres under the Ruskin "
    "valley, the Karsk seismology institute reported. Hundreds of residents slept outdoors. "
    "(Editing by the desk)"
)
QUAKE_A_OTHER_OUTLET = (
    "Rescuers in Veldoria dug through the ruins of the clock tower on Wednesday after the "
    "6.1 quake that killed 14 people. Mayor Ottilie Brandvik thanked the Karsk teams and "
    "said Pellam Square would stay closed. Survivors described the Ruskin valley shaking "
    "for twenty seconds before the tower fell."
)
QUAKE_B = (
    "A strong earthquake of magnitude 5.4 shook the coastal city of Marrowby on Saturday, "
    "damaging the harbour wall and injuring 30 people, the Marrowby coast guard said. "
    "Governor Casimir Lund said the Tollen hospital treated the injured. The epicentre "
    "was offshore near the Greyhollow islands. Hundreds of residents slept outdoors."
)
QUAKE_B_OTHER_OUTLET = (
    "Marrowby counted the damage on Sunday after the 5.4 quake cracked the harbour wall. "
    "Governor Casimir Lund visited the Tollen hospital, where 30 injured people were treated, "
    "and said the Greyhollow ferry would resume on Monday."
)
ELECTION = (
    "Voters in the republic of Ostmark chose a new parliament on Sunday. The Green Alliance "
    "led by Ida Schenkel won 41 percent, according to the Ostmark electoral commission, ahead "
    "of the conservative Union, which took 33 percent."
)


def _art(aid: str, text: str, title: str | None = None, published: date | None = None) -> Article:
    return Article(
        id=aid,
        source=f"{aid}.txt",
        text=text,
        content_hash=content_hash(text),
        title=title,
        published=published,
    )


def _corpus() -> list[Article]:
    return [
        _art("a1", QUAKE_A, "Quake kills 14 in Veldoria"),
        _art("a2", QUAKE_A_WIRE),
        _art("a3", QUAKE_A_OTHER_OUTLET, "Veldoria digs out"),
        _art("b1", QUAKE_B, "Quake injures 30 in Marrowby"),
        _art("b2", QUAKE_B_OTHER_OUTLET),
        _art("e1", ELECTION, "Greens win Ostmark vote"),
    ]


def _story_of(stories: tuple[Story, ...], aid: str) -> Story:
    return next(s for s in stories if aid in s.article_ids)


@pytest.mark.parametrize(
    ("text_a", "text_b", "expected"),
    [
        (QUAKE_A, QUAKE_A_WIRE, True),
        (QUAKE_A, QUAKE_A_OTHER_OUTLET, False),
        (QUAKE_A, QUAKE_B, False),
    ],
)
def test_duplicate_groups_wire_copy(text_a: str, text_b: str, expected: bool) -> None:
    groups = duplicate_groups({"x": words(text_a), "y": words(text_b)}, threshold=0.8)
    assert (groups == [("x", "y")]) is expected


def test_near_duplicates_groups_wire_copy_only() -> None:
    assert near_duplicates(_corpus()) == [("a1", "a2")]


@pytest.mark.parametrize(
    ("first", "second", "together"),
    [
        ("a1", "a2", True),  # wire copy
        ("a1", "a3", True),  # same quake, another outlet
        ("b1", "b2", True),  # same quake, another outlet
        ("a1", "b1", False),  # two different earthquakes
        ("a3", "b2", False),
        ("a1", "e1", False),
    ],
)
def test_cluster_stories_pairs(first: str, second: str, together: bool) -> None:
    stories = cluster_stories(_corpus())
    assert (_story_of(stories, first) == _story_of(stories, second)) is together


def test_cluster_stories_shape() -> None:
    stories = cluster_stories(_corpus())
    assert [s.id for s in stories] == sorted(s.id for s in stories)
    assert sorted(i for s in stories for i in s.article_ids) == ["a1", "a2", "a3", "b1", "b2", "e1"]
    quake = _story_of(stories, "a1")
    assert quake.article_ids == ("a1", "a2", "a3")
    assert quake.duplicate_groups == (("a1", "a2"),)
    assert quake.id == story_id(["a1", "a3"])
    assert quake.title in {"Quake kills 14 in Veldoria", "Veldoria digs out"}


def test_cluster_stories_title_from_sentence_without_titles() -> None:
    arts = [_art(a.id, a.text) for a in _corpus()]
    story = _story_of(cluster_stories(arts), "b1")
    assert story.article_ids == ("b1", "b2")
    assert story.title in QUAKE_B or story.title in QUAKE_B_OTHER_OUTLET
    assert len(story.title.split()) >= 8


def test_cluster_stories_order_independent() -> None:
    arts = _corpus()
    expected = cluster_stories(arts)
    rng = random.Random(7)
    for _ in range(3):
        shuffled = arts[:]
        rng.shuffle(shuffled)
        assert cluster_stories(shuffled) == expected


def test_cluster_stories_incremental_keeps_ids() -> None:
    first = cluster_stories([*_corpus()[:4], _corpus()[5]])  # without b2
    quake_a, quake_b = _story_of(first, "a1"), _story_of(first, "b1")
    # The stored story ids are what a store would hold; rename them to prove they are kept.
    stored = tuple(
        Story(id=f"kept_{n}", title=s.title, article_ids=s.article_ids) for n, s in enumerate(first)
    )
    renamed = {s.article_ids: s.id for s in stored}
    second = cluster_stories(_corpus(), existing=stored)
    b2_story = _story_of(second, "b2")
    assert b2_story.id == renamed[quake_b.article_ids]
    assert b2_story.article_ids == ("b1", "b2")
    assert _story_of(second, "a1").id == renamed[quake_a.article_ids]
    assert {s.id for s in stored} <= {s.id for s in second}


def test_cluster_stories_existing_without_articles_is_kept() -> None:
    old = Story(id="story_old", title="Old story", article_ids=("zz1", "zz2"))
    stories = cluster_stories(_corpus(), existing=[old])
    assert old in stories


def test_cluster_stories_existing_stories_never_merge() -> None:
    a = Story(id="s_a", title="A", article_ids=("a1",))
    b = Story(id="s_b", title="B", article_ids=("a3",))
    stories = cluster_stories(_corpus(), existing=[a, b])
    assert _story_of(stories, "a1").id == "s_a"
    assert _story_of(stories, "a3").id == "s_b"


@pytest.mark.parametrize(
    ("b2_published", "together"),
    [
        (None, True),  # unknown dates are neutral
        (date(2020, 3, 8), True),
        (date(2023, 9, 4), False),  # three years later: another story
    ],
)
def test_cluster_stories_publication_dates(b2_published: date | None, together: bool) -> None:
    arts = [
        replace(a, published=date(2020, 3, 7) if a.id == "b1" else b2_published)
        if a.id.startswith("b")
        else a
        for a in _corpus()
    ]
    stories = cluster_stories(arts)
    assert (_story_of(stories, "b1") == _story_of(stories, "b2")) is together


def test_cluster_stories_entities_and_analyses() -> None:
    arts = _corpus()
    analyses = [ArticleAnalysis(article=a) for a in arts]
    ents = {"a1": ["ent_veldoria", "ent_brandvik"], "a3": ["ent_veldoria", "ent_brandvik"]}
    stories = cluster_stories(analyses, entity_ids=ents)
    assert _story_of(stories, "a1") == _story_of(stories, "a3")
    assert _story_of(stories, "a1") != _story_of(stories, "b1")


@pytest.mark.parametrize(
    "arts",
    [
        [],
        [_art("empty", "")],
        [_art("t", "", title="Only a title here")],
        [_art("p", "!!! ... ???"), _art("q", "12 34 56")],
        [_art("d", QUAKE_A), _art("d", QUAKE_A)],
    ],
)
def test_cluster_stories_messy_input(arts: list[Article]) -> None:
    stories = cluster_stories(arts)
    assert sorted(i for s in stories for i in s.article_ids) == sorted({a.id for a in arts})


SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def test_cluster_stories_seed_reports() -> None:
    """Seeds 000 and 001 report the same talks; 004 is another meeting (read at run time)."""
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if len(files) < 5:
        pytest.skip("shared seeds not available")
    arts = [_art(p.name[:3], p.read_text(encoding="utf-8")) for p in files]
    stories = cluster_stories(arts)
    assert _story_of(stories, "000") == _story_of(stories, "001")
    assert _story_of(stories, "004") != _story_of(stories, "000")
