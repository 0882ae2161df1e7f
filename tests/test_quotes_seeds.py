"""The quote done-when on the five real seed articles (``../shared/seeds``; skipped without).

Every quotation of a sentence or more is a quote with a speaker, the direct ones have the
right speaker (the names below were read off the articles by hand), and the two outlets'
translations of one statement by Lavrov are linked through ``same_as``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dateline.models import Quote
from dateline.stages.quotes_marks import find_quoted_spans

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

# speakers of the direct quotations of each seed article (canonical names), by hand
DIRECT_SPEAKERS = {
    "000_10f85ba981e1843f": ["Jorge Arreaza", "Sergei Lavrov"],
    "001_d93c15aca7770866": ["Jorge Arreaza", "Russian Foreign Ministry", "Sergei Lavrov"],
    "002_e01321085d2590f2": ["Russian Foreign Ministry", "Sergei Lavrov"],
    "003_1752d19700a549d8": [],
    "004_b9abf42fcc1bfcba": ["Nicolas Maduro", "Vladimir Putin", "Vladimir Putin"],
}
# the two reports of Lavrov's statement after the talks (different translations)
TRANSLATED = ("000_10f85ba981e1843f", "001_d93c15aca7770866")


@pytest.fixture(scope="module", params=["rules", "tagger"])
def seeds(request):
    """The seeds analysed with the rules alone (the default) and with the attribution tagger."""
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not available (../shared/seeds)")
    from dateline.pipeline import analyze
    from dateline.settings import Settings

    result = analyze([str(SEEDS)], settings=Settings(quote_tagger=request.param == "tagger"))
    names = {e.id: e.name for e in result.entities}
    texts = {a.id: a.text for a in result.articles}
    return result.quotes, names, texts


def _article(q: Quote) -> str:
    return q.article_id


def test_direct_quotations_have_the_right_speakers(seeds):
    quotes, names, _ = seeds
    for article, expected in DIRECT_SPEAKERS.items():
        got = [
            names.get(q.speaker or "")
            for q in quotes
            if q.kind == "direct" and _article(q) == article
        ]
        assert Counter(got) == Counter(expected), article


def test_every_quoted_sentence_is_a_quote_with_a_speaker(seeds):
    quotes, _, texts = seeds
    for article, text in texts.items():
        spans, _ = find_quoted_spans(text)
        for s in spans:
            if len(text[s.start : s.end].split()) < 8:
                continue  # a quoted phrase: a mixed quote's fragment or a label
            covering = [
                q
                for q in quotes
                if _article(q) == article and q.start <= s.start and s.end <= q.end + 2
            ]
            assert covering, (article, s.start)
            assert all(q.speaker_text for q in covering), (article, s.start)


def test_lavrov_translations_are_linked(seeds):
    quotes, names, _ = seeds
    lavrov = {
        a: [
            q
            for q in quotes
            if _article(q) == a
            and q.kind == "direct"
            and names.get(q.speaker or "") == "Sergei Lavrov"
        ]
        for a in TRANSLATED
    }
    assert all(len(v) == 1 for v in lavrov.values()), lavrov
    first, second = lavrov[TRANSLATED[0]][0], lavrov[TRANSLATED[1]][0]
    assert second.id in first.same_as
    assert first.id in second.same_as
