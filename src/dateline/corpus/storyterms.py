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
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from dateline.corpus.minhash import fold_word, words

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


def article_terms(text: str, tokens: Sequence[str] | None = None) -> dict[str, float]:
    """Boosted sub-linear term weights of one text (before IDF).

    ``tokens`` are the text's folded words when the caller already has them.
    """
    counts = Counter(words(text) if tokens is None else tokens)
    names = {fold_word(m) for m in _NAME.findall(text)}
    names.update(fold_word(m) for m in _ALLCAPS.findall(text))
    stop = stopwords()
    weights: dict[str, float] = {}
    for term, tf in counts.items():
        if term in stop or term.startswith("_"):
            continue
        if _DIGIT.search(term):
            boost = NUMBER_BOOST
        elif len(term) < 3:
            continue
        else:
            boost = NAME_BOOST if term.split("'")[0] in names or term in names else 1.0
        weights[term] = boost * (1.0 + math.log(tf))
    for day, tf in _days(text).items():
        weights[day] = NUMBER_BOOST * (1.0 + math.log(tf))
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

    ``vocab`` maps feature strings to their ids; ``df`` counts articles per feature id.
    """

    vectors: dict[str, dict[int, float]]
    salient: dict[str, tuple[int, ...]]
    df: dict[int, int]
    vocab: dict[str, int]


def idf(df: int, n: int) -> float:
    """Smoothed IDF, as if IDF_PRIOR_DOCS unrelated articles lacked the word.

    Without the prior a two-article corpus would weigh every shared word close to zero
    and no pair could ever look alike; in a large corpus the prior hardly matters.
    """
    return math.log((n + IDF_PRIOR_DOCS) / (df + 0.5))


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
    vocab: dict[str, int] = {}
    words: dict[str, dict[int, float]] = {}
    ents: dict[str, dict[int, float]] = {}
    for aid in sorted(terms):
        words[aid] = {vocab.setdefault(t, len(vocab)): w for t, w in terms[aid].items()}
        found = _entities(entity_ids, aid)
        if found:
            ents[aid] = {vocab.setdefault("\x00ent:" + e, len(vocab)): 1.0 for e in found}
    df: Counter[int] = Counter()
    for block in (words, ents):
        for feats in block.values():
            df.update(feats.keys())
    n = len(words)
    vectors: dict[str, dict[int, float]] = {}
    salient: dict[str, tuple[int, ...]] = {}
    for aid, feats in words.items():
        if aid in ents:
            word_part = _weigh(feats, df, n, math.sqrt(1.0 - ENTITY_WEIGHT))
            ent_part = _weigh(ents[aid], df, n, math.sqrt(ENTITY_WEIGHT))
        else:
            word_part, ent_part = _weigh(feats, df, n, 1.0), []
        vectors[aid] = {f: w for w, f in word_part + ent_part}
        salient[aid] = tuple(f for _, f in word_part[:salient_count])
    return StoryVectors(vectors=vectors, salient=salient, df=dict(df), vocab=vocab)


def _weigh(
    feats: Mapping[int, float], df: Mapping[int, int], n: int, scale: float
) -> list[tuple[float, int]]:
    """IDF-weighted features scaled to length ``scale``, strongest first.

    The norm counts every feature, but only features another article shares can add to a
    dot product, so just those (at most MAX_FEATURES) are kept: exact cosines, less memory.
    """
    weighted = sorted(
        ((w * idf(df[f], n), f) for f, w in feats.items()), key=lambda p: (-p[0], p[1])
    )
    norm = math.sqrt(sum(w * w for w, _ in weighted)) or 1.0
    return [(scale * w / norm, f) for w, f in weighted if w > 0 and df[f] > 1][:MAX_FEATURES]


def _entities(entity_ids: Mapping[str, Sequence[str]] | None, aid: str) -> list[str]:
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
