"""Extractive summary: central sentences, merged duplicates with all citations, contrasts."""

from __future__ import annotations

from dateline.corpus.summary import summarise
from dateline.models import Article, ArticleAnalysis, Figure, Quote, Story


def _analysis(aid: str, text: str, outlet: str | None = None) -> ArticleAnalysis:
    return ArticleAnalysis(
        article=Article(id=aid, source=aid, text=text, content_hash=aid, outlet=outlet)
    )


A = _analysis(
    "a",
    "The city council approved a new budget for the harbour bridge on Monday evening. "
    "The bridge repair will cost the city far more than officials first estimated last spring. "
    "A local bakery also celebrated its fiftieth anniversary with free bread for everyone.",
    "Outlet A",
)
B = _analysis(
    "b",
    "The city council approved a new budget for the harbour bridge on Monday night. "
    "Council members said the harbour bridge budget covers repairs for the next ten years. "
    "Residents complained that traffic near the bridge has been terrible for many months now.",
    "Outlet B",
)
C = _analysis(
    "c",
    "Farmers in the northern valley reported an unusually large apple harvest this autumn. "
    "The apple growers expect prices to fall as the valley harvest floods regional markets.",
    "Outlet C",
)
STORIES = (Story("s1", "bridge", ("a", "b")), Story("s2", "apples", ("c",)))


def test_summarise_story_merges_duplicates_and_cites_all():
    out = summarise([A, B, C], STORIES, max_sentences=2)
    s1 = [s for s in out if s.story_id == "s1"]
    assert len(s1) == 2
    assert s1[0].sentence.startswith("The city council approved a new budget")
    assert s1[0].article_ids == ("a", "b")
    assert all("bakery" not in s.sentence for s in s1)
    for s in out:
        if not s.contrast:
            assert any(s.sentence in x.article.text for x in (A, B, C))


def test_summarise_corpus_summary_and_determinism():
    out = summarise([A, B, C], STORIES, max_sentences=3)
    assert out == summarise([A, B, C], STORIES, max_sentences=3)
    corpus = [s for s in out if s.story_id is None]
    assert 1 <= len(corpus) <= 3
    assert {s.story_id for s in out} == {"s1", "s2", None}


def test_summarise_contrast_sentence_from_figure_conflict():
    fa = Figure(
        "a:f1", "a", 0, 10, "$4 billion", 4e9, "USD", "bridge repair", conflicts_with=("b:f1",)
    )
    fb = Figure(
        "b:f1", "b", 0, 10, "$6 billion", 6e9, "USD", "bridge repair", conflicts_with=("a:f1",)
    )
    out = summarise([A, B, C], STORIES, figures=[fa, fb], max_sentences=3)
    contrasts = [s for s in out if s.contrast and s.story_id == "s1"]
    assert len(contrasts) == 1
    assert contrasts[0].article_ids == ("a", "b")
    assert "Outlet A reports $4 billion" in contrasts[0].sentence
    assert "Outlet B reports $6 billion" in contrasts[0].sentence
    assert len([s for s in out if s.story_id == "s1"]) <= 3


def test_summarise_quote_heavy_sentence_is_demoted():
    text = B.article.text
    end = text.index("Council members") - 1
    q = Quote("q", "b", 0, end, text[:end], "direct", None, None, "said")
    plain = summarise([B], (), max_sentences=3)
    demoted = summarise([B], (), quotes=[q], max_sentences=3)
    assert plain[0].sentence == text[:end]
    assert demoted[0].sentence != text[:end]
    assert text[:end] in [s.sentence for s in demoted]


def test_summarise_empty_and_messy():
    assert summarise([], ()) == ()
    assert summarise([_analysis("x", "")], ()) == ()
    assert summarise([A], (), max_sentences=0) == ()


def test_wire_copy_carried_by_many_articles_still_merges():
    """A sentence repeated by more articles than a blocking key may hold (its words are
    common in the group) still becomes one summary sentence citing every carrier."""
    wire = "The national weather service issued a storm warning for the entire eastern coast."
    n = 70
    articles = [
        _analysis(
            f"w{k:02d}",
            f"{wire} Local crews in town number {k} prepared sandbags near the old harbour wall.",
        )
        for k in range(n)
    ]
    story = Story("storm", "storm", tuple(a.article.id for a in articles))
    out = summarise(articles, (story,), max_sentences=2)
    top = next(s for s in out if s.story_id == "storm")
    assert top.sentence == wire
    assert top.article_ids == tuple(a.article.id for a in articles)
