"""Story features: IDF-weighted content words that tell one happening from another of its kind.

Two earthquakes, two rehab stays or two courthouse shootings share their topic words
("magnitude", "rehab", "gunman"); what separates them are names of people and places,
numbers and dates written in the text, and rare words. So each article becomes a sparse
vector of content words, weighted by sub-linear term frequency times inverse document
frequency over the corpus, with an extra boost for words written capitalised mid-sentence
(names) and for numbers. Corpus entity ids, when given, are extra features of the same kind.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from dateline.corpus.minhash import FoldCache, fold_word, words

VERSION = "storyterms.v1"

# Boosts tuned on ECB+ dev (topics 3..45, B-cubed against sub-topics): names and numbers
# separate two events of one kind; plain topic words mostly say which kind.
NAME_BOOST = 2.0
NUMBER_BOOST = 1.5
# Share of the similarity given to shared corpus entities when both articles list them.
ENTITY_WEIGHT = 0.25
IDF_PRIOR_DOCS = (
    1.0  # the usual +1 smoothing; larger priors merged unrelated reports in small corpora
)
MAX_FEATURES = 150  # strongest shared features kept per article: bounds memory
# A capitalised word after a lower-case word, a comma or a digit is a name, not a sentence start.
_NAME = re.compile(r"(?<=[a-z0-9,;:] )(?:[A-Z][\w'\u2019-]*)")
_DIGIT = re.compile(r"\d")
_ALLCAPS = re.compile(r"\b[A-Z]{2,}\b")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_ALT = "|".join(
    m.capitalize() + "?" if len(m) == 3 else m[:3].capitalize() + "[a-z]*" for m in _MONTHS
)
# Calendar days written in the text: "May 5", "5 May", "2019-05-05" all become "date:05-05".
_MONTH_DAY = re.compile(rf"\b({_MONTH_ALT})\.?\s(\d{{1,2}})\b|\b(\d{{1,2}})\s({_MONTH_ALT})\b")
_ISO_DAY = re.compile(r"\b(?:19|20)\d\d-(\d\d)-(\d\d)\b")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words and news boilerplate (``lexicon/story_stopwords.txt``)."""
    path = resources.files("dateline.lexicon").joinpath("story_stopwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def with_title(text: str, title: str | None) -> str:
    """The text with its title in front, unless the text already starts with it."""
    if title and title.strip() and title.strip()[:60] not in text[: len(title) + 200]:
        return f"{title}\n{text}"
    return text


class TermCache(FoldCache):
    """A per-pass :class:`FoldCache` that also remembers each folded term's kind.

    Whether a term is a stopword, a number or too short does not depend on the article, so
    a corpus pass decides it once per distinct term, not once per article it occurs in.
    """

    __slots__ = ("kinds",)

    def __init__(self) -> None:
        super().__init__()
        self.kinds: dict[str, int] = {}


# 1 + log(tf) for the usual small term frequencies, computed once.
_SUBLINEAR = tuple(1.0 + math.log(tf) for tf in range(1, 256))
_SKIP, _NUMBER, _WORD_KIND = 0, 1, 2  # term kinds


def _kind(term: str, stop: frozenset[str]) -> int:
    if term in stop or term.startswith("_"):
        return _SKIP
    if _DIGIT.search(term):
        return _NUMBER
    return _SKIP if len(term) < 3 else _WORD_KIND


def _sublinear(tf: int) -> float:
    return _SUBLINEAR[tf - 1] if tf < 256 else 1.0 + math.log(tf)


def article_terms(
    text: str, tokens: Sequence[str] | None = None, cache: FoldCache | None = None
) -> dict[str, float]:
    """Boosted sub-linear term weights of one text (before IDF).

    ``tokens`` are the text's folded words when the caller already has them; ``cache`` is
    the caller's per-pass fold cache (a :class:`TermCache` also keeps term kinds).
    """
    counts = Counter(words(text, cache) if tokens is None else tokens)
    folder = fold_word if cache is None else cache.__getitem__
    names = {folder(m) for m in _NAME.findall(text)}
    names.update(folder(m) for m in _ALLCAPS.findall(text))
    stop = stopwords()
    kinds = cache.kinds if isinstance(cache, TermCache) else {}
    weights: dict[str, float] = {}
    for term, tf in counts.items():
        kind = kinds.get(term)
        if kind is None:
            kind = kinds[term] = _kind(term, stop)
        if kind == _SKIP:
            continue
        if kind == _NUMBER:
            boost = NUMBER_BOOST
        else:
            boost = NAME_BOOST if term.split("'")[0] in names or term in names else 1.0
        weights[term] = boost * _sublinear(tf)
    for day, tf in _days(text).items():
        weights[day] = NUMBER_BOOST * _sublinear(tf)
    return weights


def _days(text: str) -> Counter[str]:
    days: Counter[str] = Counter()
    for m1, d1, d2, m2 in _MONTH_DAY.findall(text):
        month = _month_number(m1 or m2)
        day = int(d1 or d2)
        if month and 1 <= day <= 31:
            days[f"date:{month:02d}-{day:02d}"] += 1
    for month_s, day_s in _ISO_DAY.findall(text):
        if 1 <= int(month_s) <= 12 and 1 <= int(day_s) <= 31:
            days[f"date:{month_s}-{day_s}"] += 1
    return days


def _month_number(word: str) -> int:
    head = word.lower()[:3]
    return next((n for n, m in enumerate(_MONTHS, 1) if m.startswith(head)), 0)


@dataclass(frozen=True, slots=True)
class StoryVectors:
    """Unit-length sparse vectors (feature id -> weight) and each article's salient features.

    ``vocab`` maps feature strings to their ids; ``df[id]`` counts articles per feature.
    """

    vectors: dict[str, dict[int, float]]
    salient: dict[str, tuple[int, ...]]
    df: Sequence[int]
    vocab: dict[str, int]


def idf(df: int, n: int) -> float:
    """Smoothed IDF, as if IDF_PRIOR_DOCS unrelated articles lacked the word.

    Without the prior a two-article corpus would weigh every shared word close to zero
    and no pair could ever look alike; in a large corpus the prior hardly matters.
    """
    return math.log((n + IDF_PRIOR_DOCS) / (df + 0.5))


class VectorBuilder:
    """Builds :class:`StoryVectors` one article at a time (see :func:`build_vectors`).

    Raw weights are held as two flat arrays per article (feature ids, weights: 16 bytes a
    feature instead of a string-keyed dict), and document frequencies as one array indexed
    by feature id, until :meth:`build` knows the corpus size and weighs them.
    """

    def __init__(self, salient_count: int = 24) -> None:
        self.salient_count = salient_count
        self.vocab: dict[str, int] = {}
        self._df = array("l")
        self._words: dict[str, tuple[array[int], array[float]]] = {}
        self._ents: dict[str, array[int]] = {}

    def _ids(self, features: Iterable[str]) -> array[int]:
        vocab, df = self.vocab, self._df
        ids = array("l", [vocab.setdefault(t, len(vocab)) for t in features])
        if len(df) < len(vocab):
            df.extend([0] * (len(vocab) - len(df)))
        for f in ids:
            df[f] += 1
        return ids

    def add(self, aid: str, terms: Mapping[str, float], entities: Sequence[str] = ()) -> None:
        """Add one article's raw term weights and corpus entity ids (each id once).

        Feature ids are given in the order articles and terms arrive: add articles in
        ascending id order for ids (and so tie-breaks) that do not depend on input order.
        """
        self._words[aid] = (self._ids(terms), array("d", terms.values()))
        if entities:
            self._ents[aid] = self._ids("\x00ent:" + e for e in entities)

    def build(self) -> StoryVectors:
        """Weigh every article added (freeing its raw arrays as it goes)."""
        df, n = self._df, len(self._words)
        idf_of: dict[int, float] = {}
        vectors: dict[str, dict[int, float]] = {}
        salient: dict[str, tuple[int, ...]] = {}
        for aid in list(self._words):
            ids, weights = self._words.pop(aid)
            ents = self._ents.pop(aid, None)
            if ents is not None:
                ones = array("d", [1.0]) * len(ents)
                word_part = _weigh(ids, weights, df, n, math.sqrt(1.0 - ENTITY_WEIGHT), idf_of)
                ent_part = _weigh(ents, ones, df, n, math.sqrt(ENTITY_WEIGHT), idf_of)
            else:
                word_part, ent_part = _weigh(ids, weights, df, n, 1.0, idf_of), []
            vectors[aid] = {f: w for w, f in word_part + ent_part}
            salient[aid] = tuple(f for _, f in word_part[: self.salient_count])
        return StoryVectors(vectors=vectors, salient=salient, df=df, vocab=self.vocab)


def build_vectors(
    terms: Mapping[str, Mapping[str, float]],
    *,
    entity_ids: Mapping[str, Sequence[str]] | None = None,
    salient_count: int = 24,
) -> StoryVectors:
    """TF-IDF vectors over ``terms`` (article id -> raw weights), plus entity features.

    Words and corpus entities are two blocks, each unit-normalised, weighted so that the
    dot product of two articles that both list entities is ``(1 - w) * word cosine + w *
    entity cosine`` (w = ENTITY_WEIGHT); an article without entities keeps its word block
    alone. Feature strings become small ints (one shared vocabulary) to keep memory low.
    ``salient`` lists each article's ``salient_count`` highest-weighted shared features,
    used to find candidate pairs.
    """
    builder = VectorBuilder(salient_count)
    for aid in sorted(terms):
        builder.add(aid, terms[aid], article_entities(entity_ids, aid))
    return builder.build()


def _weigh(
    ids: Sequence[int],
    weights: Sequence[float],
    df: Sequence[int],
    n: int,
    scale: float,
    idf_of: dict[int, float],
) -> list[tuple[float, int]]:
    """IDF-weighted features scaled to length ``scale``, strongest first.

    The norm counts every feature, but only features another article shares can add to a
    dot product, so just those (at most MAX_FEATURES) are kept: exact cosines, less memory.
    ``idf_of`` memoises the IDF per document frequency (one logarithm per distinct df).
    """
    weighted = []
    for f, w in zip(ids, weights, strict=True):
        d = df[f]
        x = idf_of.get(d)
        if x is None:
            x = idf_of[d] = idf(d, n)
        weighted.append((-(w * x), f))
    weighted.sort()
    norm = math.sqrt(sum(w * w for w, _ in weighted)) or 1.0
    out = [(scale * -w / norm, f) for w, f in weighted if -w > 0 and df[f] > 1]
    return out[:MAX_FEATURES]


def article_entities(entity_ids: Mapping[str, Sequence[str]] | None, aid: str) -> list[str]:
    """The distinct corpus entity ids of one article, sorted (none without a map)."""
    if not entity_ids:
        return []
    return sorted(set(entity_ids.get(aid, ()) or ()))


def dot(a: Mapping[int, float], b: Mapping[int, float]) -> float:
    """Sparse dot product (iterates the smaller vector)."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) > 8 * len(a):  # a small vector against a story's large sum: probe the big one
        return sum(w * b[f] for f, w in a.items() if f in b)
    return sum(a[f] * b[f] for f in a.keys() & b.keys())
