"""The summary's candidate sentences, split and tokenised once per corpus, held as flat arrays.

Every article is summarised twice (in its story and in the corpus summary), and scoring
needs each sentence's words several times: splitting and tokenising on every use was most
of the summary's cost. Here each article is split once; each kept sentence keeps its bounds,
its quote coverage and its distinct content words (as integer ids, first occurrence first,
with their counts) in a few numpy arrays. One small object per sentence, times the whole
corpus, was most of the summary's memory.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from dateline.models import ArticleAnalysis, Quote
from dateline.text import fold

_SENT_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])|\n+")
_WORD = re.compile(r"[^\W\d_]{3,}")
# Sentence length bounds in words: shorter are captions/boilerplate, longer run-ons.
_MIN_WORDS, _MAX_WORDS = 8, 70


def split(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (unstripped; blank spans dropped)."""
    spans, pos = [], 0
    for match in _SENT_END.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def content(text: str) -> list[str]:
    """Folded words of three letters or more, stop words out, in text order."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


@dataclass(frozen=True, slots=True)
class SentenceTable:
    """Kept sentences of all articles, in article order then text order.

    Sentence ``s`` belongs to analysis ``article[s]``; the sentences of analysis ``a`` are
    ``sent_ptr[a]:sent_ptr[a + 1]``. Its content words are ``word[tok_ptr[s]:tok_ptr[s + 1]]``
    (distinct ids, in order of first occurrence) with ``count`` their occurrences.
    """

    texts: tuple[str, ...]  # the analyses' texts (shared, not copied)
    article_ids: tuple[str, ...]  # per analysis
    code: np.ndarray  # int32 per analysis: one number per distinct article id
    sent_ptr: np.ndarray  # int64, analyses + 1
    article: np.ndarray  # int32 analysis index per sentence
    index: np.ndarray  # int32 sentence position in its article (dropped spans counted)
    start: np.ndarray  # int64 bounds of the stripped sentence
    end: np.ndarray
    covered: np.ndarray  # int64 characters of the unstripped span inside direct quotes
    span: np.ndarray  # int64 length of the unstripped span
    tok_ptr: np.ndarray  # int64, sentences + 1
    word: np.ndarray  # int32 word id, numbered in order of first occurrence in the table
    count: np.ndarray  # occurrences of the word in the sentence (uint8 unless that overflows)
    rank: np.ndarray  # int32 per word id: its position in string order (ties break on it)

    def words(self, s: int) -> frozenset[int]:
        """Sentence ``s``'s content words (ids)."""
        return frozenset(self.word[self.tok_ptr[s] : self.tok_ptr[s + 1]].tolist())

    def text(self, s: int) -> str:
        return self.texts[int(self.article[s])][int(self.start[s]) : int(self.end[s])]


def _quoted(quotes: Sequence[Quote]) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for q in quotes:
        if q.kind == "direct":
            spans[q.article_id].append((q.start, q.end))
    return spans


def _narrow(counts: np.ndarray) -> np.ndarray:
    """One byte per count: a 70-word sentence repeats no word 256 times, save in oddities."""
    return counts.astype(np.uint8) if not len(counts) or counts.max() < 256 else counts


def build(analyses: Sequence[ArticleAnalysis], quotes: Sequence[Quote]) -> SentenceTable:
    """Split and tokenise every analysis once; ``quotes`` give each sentence's quote coverage."""
    quoted = _quoted(quotes)
    # A missing word gets the next id (the dict's size): ids follow first occurrence.
    vocab: defaultdict[str, int] = defaultdict()
    vocab.default_factory = vocab.__len__
    sent_ptr, tok_ptr = array("q", [0]), array("q", [0])
    article, index = array("i"), array("i")
    start, end, covered, span = array("q"), array("q"), array("q"), array("q")
    word, count = array("i"), array("I")
    for a, analysis in enumerate(analyses):
        text = analysis.article.text
        spans = quoted.get(analysis.article.id, ())
        for i, (s, e) in enumerate(split(text)):
            seg = text[s:e]
            raw = seg.strip()
            if not _MIN_WORDS <= len(raw.split()) <= _MAX_WORDS or raw.isupper():
                continue
            lead = len(seg) - len(seg.lstrip())
            tf = Counter(content(raw))
            article.append(a)
            index.append(i)
            start.append(s + lead)
            end.append(s + lead + len(raw))
            covered.append(
                sum(max(0, min(e, qe) - max(s, qs)) for qs, qe in spans if qs < e and qe > s)
            )
            span.append(e - s)
            word.extend(map(vocab.__getitem__, tf))
            count.extend(tf.values())
            tok_ptr.append(len(word))
        sent_ptr.append(len(article))
    rank = np.empty(len(vocab), dtype=np.int32)
    rank[np.fromiter((vocab[w] for w in sorted(vocab)), np.int64, len(vocab))] = np.arange(
        len(vocab), dtype=np.int32
    )
    del vocab
    article_ids = tuple(a.article.id for a in analyses)
    codes: dict[str, int] = {}
    return SentenceTable(
        texts=tuple(a.article.text for a in analyses),
        article_ids=article_ids,
        code=np.fromiter(
            (codes.setdefault(i, len(codes)) for i in article_ids), np.int32, len(article_ids)
        ),
        sent_ptr=np.frombuffer(sent_ptr, dtype=np.int64),
        article=np.frombuffer(article, dtype=np.int32),
        index=np.frombuffer(index, dtype=np.int32),
        start=np.frombuffer(start, dtype=np.int64),
        end=np.frombuffer(end, dtype=np.int64),
        covered=np.frombuffer(covered, dtype=np.int64),
        span=np.frombuffer(span, dtype=np.int64),
        tok_ptr=np.frombuffer(tok_ptr, dtype=np.int64),
        word=np.frombuffer(word, dtype=np.int32),
        count=_narrow(np.frombuffer(count, dtype=np.uint32)),
        rank=rank,
    )
