"""Link the same statement across articles: verbatim, trimmed, or in another translation.

Quotes are blocked by canonical speaker (or, for unknown speakers, by story), so only
quotes that could be the same statement are compared: never all pairs. Inside a block a
pair is scored from content-word overlap (lemma-ish: folded, stop words out, crude suffix
stripping so "reaffirmed"/"reaffirm" meet) and rapidfuzz's ``token_set_ratio`` and
``partial_ratio``; dates must agree within a few days when both are known. Two statements
that share only names (``name_words``: every statement of a story names the same countries
and people) do not link, nor do two of opposite polarity (``polarity_differs``). Links are
made symmetric (pairs only, no transitive closure: chains of near-misses would glue different
statements together) and written to ``Quote.same_as``.

Speaker: ``speaker_of`` (quote id -> corpus entity id) wins; a quote missing from it keeps
its own ``Quote.speaker``. The returned quotes carry that speaker.

Optional sentence embeddings (``DATELINE_EMBEDDINGS=1`` and the ``embeddings`` extra
installed, see :mod:`dateline.embeddings`): translations that share few words still embed
close together. Then, for quotes blocked by a *known* speaker, a pair also links when its
cosine reaches ``EMBEDDING_THRESHOLD``; and any pair whose polarity differs (one side
negated, "will lift" / "will not lift"; or one side stopping what the other carries on,
"keep working" / "suspend its work") is refused unless one is a near-verbatim trim of the
other, since neither word overlap nor embeddings see negation. Speaker, date and article
checks are the same as without embeddings. Without the variable, or without the extra, the
lexical path runs unchanged.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from dateline.models import Quote
from dateline.settings import DEFAULT_SETTINGS, Settings
from dateline.text import fold

VERSION = "quotematch.v2"

# Two reports of one statement are rarely dated more than this many days apart.
MAX_DAY_GAP = 7
# Below this many content words a quote is too generic to link by wording alone.
MIN_CONTENT_WORDS = 3
# Per-block cap: blocks larger than this compare each quote with its neighbours only.
MAX_BLOCK = 400
# Opt-in switch for the embedding path ("1", "true", "yes", "on").
EMBEDDINGS_ENV = "DATELINE_EMBEDDINGS"
# Cosine (all-MiniLM-L6-v2 int8) from which two same-speaker quotes are one statement;
# tuned on tests/fixtures/quote_pairs.json (benchmarks/quote_matching.py prints the sweep).
EMBEDDING_THRESHOLD = 0.82
# partial_ratio from which the shorter quote is a verbatim trim of the longer one.
TRIM_RATIO = 95
_NEGATORS = frozenset(
    ["not", "no", "never", "nothing", "none", "nobody", "nowhere", "neither", "nor", "cannot"]
)

# Predicates that stop something against ones that carry it on: "ready to keep working with
# X" and "forced to suspend its work with X" share most words and no negation, yet say the
# opposite. Matched as word forms: the suffix stripping below would not meet "stopped"/"stop".
_HALTING_VERBS = "stop suspend halt cease abandon terminate discontinue freeze quit"
_CONTINUING_VERBS = "continue keep resume maintain"
_IRREGULAR = {"freeze": ("froze", "frozen"), "keep": ("kept",), "quit": ("quit",)}
_DOUBLED = frozenset({"stop", "quit"})  # stopped, quitting


def _verb_forms(verbs: str) -> frozenset[str]:
    """Each of the space-separated verbs with its -s, -ed and -ing forms (and irregular ones)."""
    out: set[str] = set()
    for verb in verbs.split():
        stem = verb + verb[-1] if verb in _DOUBLED else verb.removesuffix("e")
        out.update((verb, verb + "s", stem + "ed", stem + "ing", *_IRREGULAR.get(verb, ())))
    return frozenset(out)


_HALTING = _verb_forms(_HALTING_VERBS) | {"suspension"}
_CONTINUING = _verb_forms(_CONTINUING_VERBS)

_log = logging.getLogger(__name__)

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "we",
        "our",
        "us",
        "i",
        "me",
        "my",
        "you",
        "your",
        "he",
        "she",
        "his",
        "her",
        "they",
        "them",
        "their",
        "there",
        "here",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "while",
        "not",
        "no",
        "so",
        "than",
        "then",
        "also",
        "very",
        "just",
        "into",
        "about",
        "over",
        "such",
        "all",
        "any",
        "some",
        "more",
        "most",
        "other",
        "only",
        "own",
        "same",
        "too",
    ]
)
_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ings",
    "ing",
    "ied",
    "ies",
    "ed",
    "es",
    "s",
    "ly",
)


def _stem(word: str) -> str:
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            return word[: -len(suf)]
    return word


def content_words(text: str, stems: dict[str, str] | None = None) -> frozenset[str]:
    """Folded, stemmed content words: the translation-robust core of a statement.

    ``stems`` memoises :func:`_stem` across calls (a corpus repeats its words; one dict per
    corpus pass, dropped with it).
    """
    words = (w for w in _WORD.findall(fold(text)) if w not in _STOP and len(w) > 1)
    if stems is None:
        return frozenset(map(_stem, words))
    found = []
    for w in words:
        stem = stems.get(w)
        if stem is None:
            stem = stems[w] = _stem(w)
        found.append(stem)
    return frozenset(found)


_CAPITALISED = re.compile(r"(?<![.!?:\"\u201c]\s)(?<!^)\b[A-Z][^\W\d_]*")


def name_words(text: str, stems: dict[str, str] | None = None) -> frozenset[str]:
    """The content words of ``text`` that are names: capitalised inside a sentence.

    Every statement of a story names the same countries and people ("Karsk", "Velorian"),
    so two statements sharing only those are not shown to be one; a link needs a shared word
    beyond them (``shares_more_than_names``).
    """
    found = " ".join(m.group(0) for m in _CAPITALISED.finditer(text.strip()))
    return content_words(found, stems) if found else frozenset()


NamesOf = Callable[[str], frozenset[str]]  # a quote's text -> the names it may hold


def _block_names(texts: Iterable[str]) -> NamesOf:
    """The names of a block of quotes (one speaker, or one story), pooled, read on first use.

    A name that opens a sentence is not seen as one ("Norland will …"), but the same speaker
    names the same countries inside a sentence elsewhere; and most blocks never have a pair
    whose words reach the threshold, so most never read their names.
    """

    @functools.cache
    def pooled() -> frozenset[str]:
        return frozenset().union(*map(name_words, texts))

    return lambda _text: pooled()


def shares_more_than_names(
    wa: frozenset[str], wb: frozenset[str], na: frozenset[str], nb: frozenset[str]
) -> bool:
    """Whether two quotes' content words meet beyond the names either one holds."""
    return bool((wa & wb) - na - nb)


def similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two statements (wording and content-word overlap).

    The overlap coefficient (shared words over the smaller set) rewards trimmed quotes;
    token_set_ratio and partial_ratio catch verbatim and near-verbatim copies.
    """
    return _similarity(content_words(a), content_words(b), a, b)


def _similarity(wa: frozenset[str], wb: frozenset[str], a: str, b: str) -> float:
    """:func:`similarity` given both texts' content words (computed once per quote)."""
    if not wa or not wb:
        return 0.0
    shared = len(wa & wb)
    overlap = shared / min(len(wa), len(wb))
    jaccard = shared / len(wa | wb)
    if overlap < 0.5:  # the fuzzy scores only count from this overlap on
        return 0.6 * overlap + 0.4 * jaccard
    fa, fb = fold(a), fold(b)
    fuzzy = max(fuzz.token_set_ratio(fa, fb), fuzz.partial_ratio(fa, fb)) / 100.0
    return max(fuzzy if overlap >= 0.5 else 0.0, 0.6 * overlap + 0.4 * jaccard)


def embeddings_enabled() -> bool:
    """Whether ``DATELINE_EMBEDDINGS`` asks for the embedding path (installed or not)."""
    return os.environ.get(EMBEDDINGS_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def _negated(text: str) -> bool:
    words = _WORD.findall(fold(text).replace("n't", " not"))
    return any(w in _NEGATORS for w in words)


def _direction(text: str) -> int:
    """+1 for a statement that carries something on, -1 for one that stops it, else 0."""
    words = set(_WORD.findall(fold(text)))
    halting, continuing = bool(words & _HALTING), bool(words & _CONTINUING)
    return 0 if halting == continuing else (-1 if halting else 1)


def polarity_differs(a: str, b: str) -> bool:
    """One statement negated and the other not, or one stopping what the other carries on
    ("keep working" / "suspend its work"), unless one is a verbatim trim of the other."""
    if _negated(a) == _negated(b) and _direction(a) * _direction(b) >= 0:
        return False
    return fuzz.partial_ratio(fold(a), fold(b)) < TRIM_RATIO


def _quote_vectors(quotes: Sequence[Quote], indices: set[int]) -> dict[int, Any] | None:
    """Unit vectors of the given quotes, or None (lexical only) when the extra can't run."""
    try:
        from dateline import embeddings

        if not embeddings.available():
            _log.warning("%s is set but %s", EMBEDDINGS_ENV, embeddings.INSTALL_HINT)
            return None
        texts = sorted({quotes[i].text for i in indices})
        if not texts:
            return {}
        rows = embeddings.load_encoder().encode(texts)
    except Exception as exc:  # the optional path never breaks matching
        _log.warning("sentence embeddings unavailable, lexical matching only: %s", exc)
        return None
    row_of = dict(zip(texts, rows, strict=True))
    return {i: row_of[quotes[i].text] for i in indices}


def _dates_ok(a: date | None, b: date | None) -> bool:
    return a is None or b is None or abs((a - b).days) <= MAX_DAY_GAP


def lexical_link(
    a: str, b: str, wa: frozenset[str], wb: frozenset[str], threshold: float, names: NamesOf
) -> bool:
    """Word overlap reaches ``threshold``, and the shared words go beyond the story's names
    (asked last: most pairs fail earlier, and most quotes never need their names)."""
    return (
        bool(wa & wb)
        and _similarity(wa, wb, a, b) >= threshold
        and shares_more_than_names(wa, wb, names(a), names(b))
    )


def _embedding_link(
    a: str,
    b: str,
    wa: frozenset[str],
    wb: frozenset[str],
    threshold: float,
    cosine: float | None,
    names: NamesOf,
) -> bool:
    """Embedding-path decision for one pair (speaker/date checks passed; cosine None: no vector)."""
    semantic = cosine is not None and cosine >= EMBEDDING_THRESHOLD
    lexical = not semantic and lexical_link(a, b, wa, wb, threshold, names)
    return (lexical or semantic) and not polarity_differs(a, b)


def _overlapping_pairs(members: list[int], words: list[frozenset[str]]) -> list[tuple[int, int]]:
    """The pairs of a block that can share half the smaller quote's words, in block order.

    Below an overlap of 0.5, :func:`_similarity` is at most 0.5, so with a threshold above
    that no other pair can link: the all-pairs loop and this one give the same links. The
    smaller set's rarest ``n - ceil(n / 2) + 1`` words must meet the other (prefix
    filtering), so a speaker quoted hundreds of times is not compared pair by pair.
    """
    df: Counter[str] = Counter(w for m in members for w in words[m])
    index: dict[str, list[int]] = defaultdict(list)
    for x, m in enumerate(members):
        for w in words[m]:
            index[w].append(x)
    found: set[tuple[int, int]] = set()
    for x, m in enumerate(members):
        n = len(words[m])
        ranked = sorted(words[m], key=lambda w: (df[w], w))
        for w in ranked[: n - math.ceil(n / 2) + 1]:
            for y in index[w]:
                if y != x and len(words[members[y]]) >= n:
                    found.add((x, y) if x < y else (y, x))
    return [(members[x], members[y]) for x, y in sorted(found)]


def match_quotes(
    quotes: Sequence[Quote],
    *,
    speaker_of: Mapping[str, str | None],
    article_dates: Mapping[str, date | None],
    story_of: Mapping[str, str | None] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> tuple[Quote, ...]:
    """Fill ``speaker`` and ``same_as`` on every quote; order is preserved.

    Args:
        quotes: all quotes of the corpus.
        speaker_of: quote id -> canonical entity id (None: unknown speaker).
        article_dates: article id -> publication date, for the date-compatibility check.
        story_of: article id -> story id; blocks quotes with unknown speakers.
        settings: ``quote_match_threshold`` is the similarity needed to link.

    Returns:
        The quotes with ``speaker`` set and ``same_as`` listing the other quote ids of the
        same statement (sorted; never the quote's own article).
    """
    threshold = settings.quote_match_threshold
    speakers = [speaker_of.get(q.id, q.speaker) for q in quotes]
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, q in enumerate(quotes):
        spk = speakers[i]
        if spk is not None:
            blocks[("speaker", spk)].append(i)
        elif story_of is not None and story_of.get(q.article_id):
            blocks[("story", str(story_of[q.article_id]))].append(i)
    links: dict[int, set[int]] = defaultdict(set)

    # Only quotes in a block are ever compared: the others need no words.
    stems: dict[str, str] = {}
    words: list[frozenset[str]] = [frozenset()] * len(quotes)
    for members in blocks.values():
        for m in members:
            words[m] = content_words(quotes[m].text, stems)
    del stems
    vectors = None
    if embeddings_enabled():
        wanted = {
            m
            for (kind, _key), members in blocks.items()
            if kind == "speaker" and len(members) > 1
            for m in members
            if len(words[m]) >= MIN_CONTENT_WORDS
        }
        vectors = _quote_vectors(quotes, wanted)
    for block, members in sorted(blocks.items()):
        members = [m for m in members if len(words[m]) >= MIN_CONTENT_WORDS]
        names = _block_names(quotes[m].text for m in members)  # read on first use only
        by_speaker = block[0] == "speaker"
        pairs: Iterable[tuple[int, int]]
        if vectors is None and threshold > 0.5 and 50 < len(members) <= MAX_BLOCK:
            pairs = _overlapping_pairs(members, words)
        else:
            pairs = (
                (i, j)
                for x, i in enumerate(members)
                for j in (
                    members[x + 1 :] if len(members) <= MAX_BLOCK else members[x + 1 : x + 50]
                )
            )
        for i, j in pairs:
            qi, qj = quotes[i], quotes[j]
            if qi.article_id == qj.article_id:
                continue
            si, sj = speakers[i], speakers[j]
            if si is not None and sj is not None and si != sj:
                continue
            da = qi.date or article_dates.get(qi.article_id)
            db = qj.date or article_dates.get(qj.article_id)
            if not _dates_ok(da, db):
                continue
            if vectors is not None:
                cosine = None
                if by_speaker and i in vectors and j in vectors:
                    cosine = float(vectors[i] @ vectors[j])
                if _embedding_link(qi.text, qj.text, words[i], words[j], threshold, cosine, names):
                    links[i].add(j)
                    links[j].add(i)
                continue
            # "will lift" vs "will not lift" share nearly every word: never the same statement.
            if lexical_link(
                qi.text, qj.text, words[i], words[j], threshold, names
            ) and not polarity_differs(qi.text, qj.text):
                links[i].add(j)
                links[j].add(i)
    out: list[Quote] = []
    for i, q in enumerate(quotes):
        mates = tuple(sorted(quotes[j].id for j in links.get(i, ())))
        if q.speaker == speakers[i] and q.same_as == mates:
            out.append(q)  # nothing to fill in: no copy of the quote
        else:
            out.append(replace(q, speaker=speakers[i], same_as=mates))
    return tuple(out)
