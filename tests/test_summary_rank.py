"""Summary on flat arrays: same picks as scoring sentence by sentence, offsets intact."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from itertools import pairwise

import numpy as np
import pytest

from dateline.corpus import summary_rank, summary_sentences
from dateline.corpus.summary import summarise
from dateline.models import Article, ArticleAnalysis, Quote, Story, SummarySentence

# fmt: off
_WORDS = (
    "council", "harbour", "bridge", "budget", "repair", "valley", "apple", "harvest",
    "farmers", "market", "storm", "ferry", "minister", "border", "election", "ballot", "court",
    "ruling", "strike", "workers", "union", "factory", "river", "village", "school", "teacher",
    "hospital", "nurse", "doctor", "vaccine", "trial", "museum", "painting",
)
# fmt: on


def _analysis(aid: str, text: str) -> ArticleAnalysis:
    return ArticleAnalysis(article=Article(id=aid, source=aid, text=text, content_hash=aid))


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 14))]
    return "The " + " ".join(words) + " said officials."


def _corpus(seed: int) -> tuple[list[ArticleAnalysis], list[Story], list[Quote]]:
    """Articles sharing sentences (wire copy), quotes, a story listing an article twice."""
    rng = random.Random(seed)
    pool = [_sentence(rng) for _ in range(12)]
    analyses, quotes = [], []
    for k in range(8):
        sents = [rng.choice(pool) if rng.random() < 0.5 else _sentence(rng) for _ in range(6)]
        text = " ".join(sents) + "\nSHORT CAPTION HERE"
        aid = f"a{k}"
        analyses.append(_analysis(aid, text))
        end = len(sents[0])
        quotes.append(Quote(f"{aid}:q1", aid, 0, end, text[:end], "direct", None, None, "said"))
    stories = [
        Story("s1", "one", ("a0", "a1", "a2", "a1")),
        Story("s2", "two", ("a3", "a4", "missing")),
        Story("s3", "three", ("a5", "a6", "a7")),
    ]
    return analyses, stories, quotes


# The sentence-by-sentence algorithm the arrays must reproduce exactly.
def _reference(analyses, stories, quotes, limit):
    def sentences(members, own_quotes):
        quoted = defaultdict(list)
        for q in own_quotes:
            if q.kind == "direct":
                quoted[q.article_id].append((q.start, q.end))
        out = []
        for order, a in enumerate(members):
            text = a.article.text
            for index, (start, end) in enumerate(summary_sentences.split(text)):
                seg = text[start:end]
                raw = seg.strip()
                if not 8 <= len(raw.split()) <= 70 or raw.isupper():
                    continue
                covered = sum(
                    max(0, min(end, qe) - max(start, qs)) for qs, qe in quoted[a.article.id]
                )
                words = summary_sentences.content(raw)
                base = -0.1 if covered > 0.6 * (end - start) else 0.0
                out.append(
                    [a.article.id, order, index, raw, frozenset(words), Counter(words), base]
                )
        return out

    def jac(x, y):
        return len(x & y) / len(x | y) if x and y else 0.0

    def pick(sents, story_id):
        df = Counter(w for s in sents for w in s[4])
        n = len(sents) or 1
        idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
        vecs = [{w: c * idf[w] for w, c in s[5].items()} for s in sents]
        centroid = Counter()
        for v in vecs:
            centroid.update(v)
        c_norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
        for s, vec in zip(sents, vecs, strict=True):
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            cos = sum(v * centroid[w] for w, v in vec.items()) / (norm * c_norm)
            s[6] += cos + ((0.15, 0.08, 0.04)[s[2]] if s[2] < 3 else 0.0)
        parent = list(range(len(sents)))

        def find(i):
            while parent[i] != i:
                i = parent[i]
            return i

        blocks = defaultdict(list)
        for i, s in enumerate(sents):
            for w in sorted(s[4], key=lambda w: (df[w], w))[:3]:
                blocks[w].append(i)
        for m in blocks.values():
            for x in range(len(m)):
                for y in range(x + 1, min(len(m), x + 50)):
                    a, b = sents[m[x]], sents[m[y]]
                    if a[0] != b[0] and jac(a[4], b[4]) >= 0.6:
                        parent[find(m[x])] = find(m[y])
        groups = defaultdict(list)
        for i, s in enumerate(sents):
            groups[find(i)].append(s)
        merged = []
        for g in groups.values():
            best = max(g, key=lambda s: (s[6], -s[1], -s[2]))
            ids = tuple(sorted({s[0] for s in g}))
            merged.append((best, ids, best[6] + 0.05 * (len(ids) - 1)))
        merged.sort(key=lambda m: (-m[2], m[0][1], m[0][2]))
        chosen = []
        for best, ids, _ in merged:
            if len(chosen) >= limit:
                break
            if not any(jac(best[4], c[4]) >= 0.5 for c, _ in chosen):
                chosen.append((best, ids))
        return [SummarySentence(sentence=s[3], article_ids=i, story_id=story_id) for s, i in chosen]

    by_id = {a.article.id: a for a in analyses}
    out = []
    for story in stories:
        members = [by_id[i] for i in story.article_ids if i in by_id]
        own = [q for a in members for q in quotes if q.article_id == a.article.id]
        out.extend(pick(sentences(members, own), story.id))
    out.extend(pick(sentences(analyses, quotes), None))
    return tuple(out)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("limit", [1, 3, 8])
def test_summarise_matches_sentence_by_sentence_reference(seed, limit):
    analyses, stories, quotes = _corpus(seed)
    expected = _reference(analyses, stories, quotes, limit)
    assert summarise(analyses, stories, quotes=quotes, max_sentences=limit) == expected


def test_summarise_merges_wire_copy_across_articles():
    shared = "The harbour ferry strike ended after the union and the minister agreed terms."
    copies = [
        _analysis(f"w{k}", f"{shared} {tail}")
        for k, tail in enumerate(
            [
                "Other words about the river flood came later in the long day.",
                "A museum in the village opened a painting show for the weekend.",
                "Teachers at the school asked the council for a bigger budget.",
            ]
        )
    ]
    out = summarise(copies, [Story("s", "strike", ("w0", "w1", "w2"))], max_sentences=2)
    assert out[0].sentence == shared
    assert out[0].article_ids == ("w0", "w1", "w2")
    assert sum(s.sentence == shared for s in out if s.story_id == "s") == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Too short.",
        "  Leading spaces before a sentence that has more than eight words in it.  \n"
        "A second line about the council budget and the harbour bridge repairs today.",
        "ALL CAPS HEADLINE THAT IS LONG ENOUGH TO BE A SENTENCE BUT IS NOT ONE",
        "Café owners in the valley said the festival brought more visitors than ever before.",
    ],
)
def test_build_offsets_slice_back_and_words_are_distinct(text):
    table = summary_sentences.build([_analysis("a", text)], ())
    for s in range(len(table.article)):
        assert text[int(table.start[s]) : int(table.end[s])] == table.text(s)
        assert table.text(s) == table.text(s).strip()
        ids = table.word[table.tok_ptr[s] : table.tok_ptr[s + 1]]
        assert len(set(ids.tolist())) == len(ids)
        assert int(table.count[table.tok_ptr[s] : table.tok_ptr[s + 1]].sum()) == len(
            summary_sentences.content(table.text(s))
        )
    assert list(table.sent_ptr) == [0, len(table.article)]


def test_build_word_ids_follow_first_occurrence_and_rank_follows_spelling():
    text = "Zebra keepers and apple growers met zebra breeders at the market on Monday."
    table = summary_sentences.build([_analysis("a", text)], ())
    ids = table.word.tolist()
    assert ids == list(range(len(ids)))  # zebra, keepers, apple, growers, ... in text order
    assert table.count.tolist()[0] == 2  # "Zebra" and "zebra"
    spelled = summary_sentences.content(text)
    order = sorted(dict.fromkeys(spelled))
    assert [order[r] for r in table.rank.tolist()] == list(dict.fromkeys(spelled))


@pytest.mark.parametrize(
    ("values", "offsets"),
    [([], [0]), ([0.1, 0.2, 0.3], [0, 3]), ([0.1, 0.2, 0.3, 1e-17], [0, 1, 1, 4])],
)
def test_seq_sums_are_builtin_sums(values, offsets):
    got = summary_rank._seq_sums(np.array(values, dtype=float), np.array(offsets))
    assert got == [sum(values[a:b]) for a, b in pairwise(offsets)]
