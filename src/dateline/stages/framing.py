"""Framing: the words an article itself uses for each entity, with their spans.

Outlets reveal their stance in how they name actors: "socialist dictator Nicolas Maduro",
"the Maduro regime", "the legitimate government of Maduro", "self-proclaimed interim
president Guaidó". This stage reads those terms off the dependency parse around each
entity mention:

- ``role``: a title or office ("President", "opposition leader", "self-proclaimed interim
  president"), before the name, in apposition, or a role-only mention from the entity stage;
- ``modifier``: other pre-nominal descriptors ("socialist dictator", "Russian-backed");
- ``appositive``: a non-role noun phrase in apposition ("Maduro, a former bus driver");
- ``label``: the entity's side or apparatus ("regime" in "the Maduro regime", "legitimate
  government" in "the legitimate government of Maduro", "whose regime");
- ``scare_quote``: any of the above set in short quotation marks ("legitimate government"
  in quotes), "so-called ...", or a quoted self-description ("proclaimed himself an
  'interim president'").

Terms inside direct quotations are skipped: they are the speaker's words, not the
outlet's. A definite noun phrase ("the dictator", "the regime") is attributed to an entity
only when one entity, and only one, carries that evaluative or side noun elsewhere in the
article. A term's ``term`` is exactly ``article.text[start:end]``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from dateline.models import Article, ArticleEntity, FramingTerm, Quote
from dateline.settings import DEFAULT_SETTINGS, Settings
from dateline.stages.quotes_marks import find_quoted_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

VERSION = "framing.v1"

# Quoted stretches of at most this many words are labels (scare quotes), longer ones are
# statements; checked on the seed articles' "interim president" / "legitimate government".
_SCARE_MAX_WORDS = 4
_MAX_TERM_TOKENS = 8
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "advmod", "punct", "nummod"})
_REFLEXIVES = frozenset({"himself", "herself", "itself", "themselves"})
_LEADING_DROP = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "this", "that"})


def _words(name: str) -> frozenset[str]:
    text = resources.files("dateline.lexicon").joinpath(name).read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def evaluative_words() -> frozenset[str]:
    """Words that evaluate an actor (lexicon/framing_evaluative.txt)."""
    return _words("framing_evaluative.txt")


@lru_cache(maxsize=1)
def role_words() -> frozenset[str]:
    """Nouns naming an office or role (lexicon/framing_roles.txt)."""
    return _words("framing_roles.txt")


@lru_cache(maxsize=1)
def side_words() -> frozenset[str]:
    """Nouns naming an actor's side or apparatus (lexicon/framing_sides.txt)."""
    return _words("framing_sides.txt")


@lru_cache(maxsize=1)
def _honorifics() -> frozenset[str]:
    return _words("framing_honorifics.txt")


def _kind_for(head: Token, default: str) -> str:
    low, lemma = head.lower_, head.lemma_.lower()
    if low in role_words() or lemma in role_words():
        return "role"
    return default


def _span_kind(span: Span, default: str) -> str:
    """ "role" when any word of the phrase names an office ("U.S. Secretary of State")."""
    return "role" if any(_kind_for(t, "") == "role" for t in span) else default


class _Collector:
    """Accumulates terms for one article, marking those inside quoted statements."""

    def __init__(self, article: Article, skip: list[tuple[int, int]], scare: list[tuple[int, int]]):
        self.article = article
        self.skip = skip
        self.scare = scare
        self.terms: dict[tuple[str, int, int], FramingTerm] = {}

    def add(self, key: str, start: int, end: int, kind: str) -> None:
        text = self.article.text
        # Trim spaces, punctuation and quote marks at the edges so the span is the words.
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum() and text[end - 1] != ".":
            end -= 1
        if end <= start:
            return
        quoted = any(s <= start and end <= e for s, e in self.skip)
        if text[start:end].casefold() in _honorifics():
            return
        if kind != "scare_quote" and any(
            s <= start < e or s < end <= e or (start <= s and e <= end) for s, e in self.scare
        ):
            kind = "scare_quote"
        term = text[start:end]
        if term.casefold().startswith(("so-called", "so called")):
            kind = "scare_quote"
        self.terms.setdefault(
            (key, start, end),
            FramingTerm(
                article_id=self.article.id,
                entity_key=key,
                term=term,
                start=start,
                end=end,
                kind=kind,
                quoted=quoted,
            ),
        )

    def result(self) -> tuple[FramingTerm, ...]:
        by_key: dict[str, list[FramingTerm]] = defaultdict(list)
        for term in self.terms.values():
            by_key[term.entity_key].append(term)
        kept = []
        for terms in by_key.values():
            for t in terms:  # a term inside a longer term of the same entity adds nothing
                inside = any(
                    o is not t
                    and o.start <= t.start
                    and t.end <= o.end
                    and (o.end - o.start) > (t.end - t.start)
                    for o in terms
                )
                if not inside:
                    kept.append(t)
        return tuple(sorted(kept, key=lambda t: (t.start, t.end, t.entity_key, t.kind)))


def _left_modifiers(span: Span, taken: set[int]) -> tuple[int, int] | None:
    """Character span of the modifiers directly before ``span`` that attach into it."""
    doc = span.doc
    inside = set(range(span.start, span.end))
    attached = set(inside)
    i = span.start - 1
    first = None
    while i >= 0 and span.start - i <= _MAX_TERM_TOKENS:
        tok = doc[i]
        hyphenated = i + 1 < len(doc) and doc[i + 1].text in {"-", "\u2011"}
        if i in taken and not (tok.ent_type_ == "NORP" or hyphenated):
            break  # another entity's name ends the modifiers; "Russian-backed" does not
        if tok.dep_ in {"det", "poss", "case", "cc", "prep"} or tok.is_space:
            break
        if tok.tag_ in {"VB", "VBD", "VBP", "VBZ", "MD"}:
            break  # a finite verb is never a pre-nominal modifier (misparses)
        if tok.is_punct and tok.text not in {"-", "\u2011"}:
            break
        head_ok = tok.head.i in attached or (tok.head.i > i and tok.head.i < span.start)
        if not head_ok or (tok.dep_ not in _MODIFIER_DEPS and not tok.is_punct):
            break
        attached.add(i)
        first = i
        i -= 1
    if first is None:
        return None
    while first < span.start and doc[first].is_punct:
        first += 1
    if first >= span.start:
        return None
    return doc[first].idx, doc[span.start - 1].idx + len(doc[span.start - 1])


def _noun_phrase(noun: Token, exclude: set[int]) -> tuple[int, int]:
    """Character span of ``noun`` with its contiguous left modifiers (no determiners)."""
    start = noun.i
    doc = noun.doc
    while start - 1 >= 0 and noun.i - (start - 1) < _MAX_TERM_TOKENS:
        tok = doc[start - 1]
        if tok.i in exclude or tok.lower_ in _LEADING_DROP or tok.dep_ in {"det", "poss", "case"}:
            break
        if tok.head.i < tok.i or tok.head.i > noun.i or tok.is_space:
            break
        if tok.is_punct and tok.text not in {"-", "\u201c", "\u201d", '"', "\u2018", "\u2019"}:
            break
        start -= 1
    while doc[start].is_punct and start < noun.i:
        start += 1
    return doc[start].idx, noun.idx + len(noun)


def _syntactic_head(span: Span) -> Token:
    for tok in span:
        if tok.head.i < span.start or tok.head.i >= span.end or tok.head.i == tok.i:
            return tok
    return span[-1]


def _subject_of(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


def extract_framing(
    article: Article,
    doc: Doc,
    *,
    entities: Sequence[ArticleEntity],
    quotes: Sequence[Quote] = (),
    settings: Settings = DEFAULT_SETTINGS,
) -> tuple[FramingTerm, ...]:
    """The terms ``article`` uses, in its own voice, for each of ``entities``.

    Args:
        article: the article; ``doc`` was parsed from exactly ``article.text``.
        doc: its spaCy parse.
        entities: the article's entities (mentions, role-only "ROLE" mentions, roles).
        quotes: the article's quotes; terms inside direct quotes (and quoted stretches longer
            than a short label) are the speaker's words: kept, with ``quoted=True``.
        settings: pipeline settings (no framing-specific options yet).

    Returns:
        Framing terms sorted by start offset.
    """
    del settings
    text = article.text
    try:
        spans, _warnings = find_quoted_spans(text)
    except Exception:
        spans = ()
    skip = [
        (q.start, q.end) for q in spans if len(text[q.start : q.end].split()) > _SCARE_MAX_WORDS
    ]
    skip += [(q.start, q.end) for q in quotes if q.kind == "direct"]
    scare = [
        (q.start, q.end) for q in spans if len(text[q.start : q.end].split()) <= _SCARE_MAX_WORDS
    ]
    out = _Collector(article, skip, scare)
    token_key: dict[int, str] = {}
    mention_spans: list[tuple[str, Span, str]] = []
    for entity in entities:
        for m in entity.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            mention_spans.append((entity.key, span, m.label))
            for tok in span:
                token_key.setdefault(tok.i, entity.key)
    for entity in entities:
        for rm in entity.role_mentions:
            span = doc.char_span(rm.start, rm.end, alignment_mode="expand")
            if span is not None and len(span):
                kind = _span_kind(span, "modifier")
                out.add(entity.key, rm.start, rm.end, kind)
    for key, span, label in mention_spans:
        if label == "ROLE":
            out.add(key, *_role_span(span), "role")
            continue
        _around_mention(out, key, span, set(token_key))
    _self_descriptions(out, doc, token_key, scare)
    _coreferent(out, doc, token_key)
    _evaluated_roles(out, doc, token_key, entities)
    return out.result()


_QUALIFIERS = frozenset(
    {
        "interim",
        "acting",
        "vice",
        "deputy",
        "former",
        "ex",
        "self-proclaimed",
        "self-declared",
        "self-styled",
        "caretaker",
        "outgoing",
        "designate",
        "elect",
    }
)


def _evaluated_roles(
    out: _Collector, doc: Doc, token_key: dict[int, str], entities: Sequence[ArticleEntity]
) -> None:
    """'the legitimate president' -> the one entity of the article holding that role.

    Only a definite role noun with an evaluative modifier counts ("the legitimate president",
    "the self-proclaimed president"), and only when exactly one entity has a role with that
    head noun; plain "the president" is description, not framing.
    """
    holders: dict[str, set[str]] = defaultdict(set)
    qualifiers_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entity in entities:
        for role in entity.roles:
            words = role.lower().split()
            if words:
                holders[words[-1]].add(entity.key)
                qualifiers_of[(words[-1], entity.key)] |= _QUALIFIERS & set(words[:-1])
    for tok in doc:
        head = tok.lemma_.lower() if tok.lemma_.lower() in holders else tok.lower_
        keys = holders.get(head)
        if not keys or tok.i in token_key or tok.pos_ != "NOUN":
            continue
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            continue
        modifiers = [c for c in tok.children if c.dep_ in {"amod", "compound"} and c.i < tok.i]
        if not any(m.lower_ in evaluative_words() for m in modifiers):
            continue
        # "the interim president" is the interim holder; plain "the legitimate president" is
        # the sitting one, not an interim, vice or former holder.
        wanted = _QUALIFIERS & {m.lower_ for m in modifiers}
        keys = {k for k in keys if qualifiers_of[(head, k)] == wanted} or (
            keys if not wanted else set()
        )
        if len(keys) != 1:
            continue
        start = min(m.idx for m in modifiers)
        (key,) = tuple(keys)
        out.add(key, start, tok.idx + len(tok.text), "role")


def _role_span(span: Span) -> tuple[int, int]:
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in _LEADING_DROP:
        start += 1
    return span.doc[start].idx, span.end_char


def _around_mention(out: _Collector, key: str, span: Span, taken: set[int]) -> None:
    head = _syntactic_head(span)
    left = _left_modifiers(span, taken - set(range(span.start, span.end)))
    if left is not None:
        kind = _kind_for(span.doc[span.start - 1], "modifier")
        first = span.doc.char_span(*left, alignment_mode="expand")
        # ", qualified Guaido's move": after a comma a bare participle is a misparsed verb
        after_comma = (
            first is not None and first.start > 0 and span.doc[first.start - 1].text == ","
        )
        if kind == "role" or not after_comma:
            out.add(key, *left, kind)
    nouns: list[Token] = []
    if head.dep_ == "appos" and head.head.pos_ == "NOUN" and head.head.i not in taken:
        nouns.append(head.head)
    nouns.extend(
        c
        for c in head.children
        if c.dep_ == "appos"
        and c.pos_ == "NOUN"
        and c.i not in taken
        # "vice president X, minister Y": a title with its own name belongs to that name
        and not any(g.i in taken and g.dep_ in {"compound", "appos"} for g in c.children)
        and not (c.right_edge.i + 1 < len(span.doc) and c.right_edge.i + 1 in taken)
    )
    for noun in list(nouns):
        nouns.extend(c for c in noun.children if c.dep_ == "conj" and c.pos_ == "NOUN")
        if noun.dep_ == "conj" and noun.head.pos_ == "NOUN":
            nouns.append(noun.head)
    for noun in nouns:
        low = noun.lemma_.lower()
        is_eval = low in evaluative_words() or any(
            c.lower_ in evaluative_words() for c in noun.children
        )
        kind = _kind_for(noun, "appositive")
        if kind == "role" or is_eval or noun.dep_ == "appos":
            out.add(key, *_noun_phrase(noun, taken), kind)
    _labels(out, key, span, head, taken)


def _labels(out: _Collector, key: str, span: Span, head: Token, taken: set[int]) -> None:
    gov = head.head
    side: Token | None = None
    if head.dep_ in {"compound", "poss"} and gov.pos_ == "NOUN":
        side = gov
    elif head.dep_ == "pobj" and gov.lower_ == "of" and gov.head.pos_ == "NOUN":
        side = gov.head
    if side is not None and side.lemma_.lower() in side_words():
        out.add(key, *_noun_phrase(side, taken | set(range(span.start, span.end))), "label")
    nxt = span.end
    if nxt < len(span.doc) and span.doc[nxt].lower_ == "whose":
        owned = span.doc[nxt].head
        if owned.lemma_.lower() in side_words():
            out.add(key, *_noun_phrase(owned, taken), "label")


def _self_descriptions(
    out: _Collector, doc: Doc, token_key: dict[int, str], scare: list[tuple[int, int]]
) -> None:
    """A quoted label an entity gives itself: 'declared himself the "interim president"'."""
    for start, end in scare:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        head = _syntactic_head(span)
        verb = head.head
        if not any(c.lower_ in _REFLEXIVES for c in verb.children):
            continue
        subj = _subject_of(verb)
        if subj is not None and subj.i in token_key:
            out.add(token_key[subj.i], start, end, "scare_quote")


def _coreferent(out: _Collector, doc: Doc, token_key: dict[int, str]) -> None:
    """'the dictator' / 'the regime' -> the one entity this article already calls so."""
    owners: dict[str, set[str]] = defaultdict(set)
    for term in list(out.terms.values()):
        span = doc.char_span(term.start, term.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        lemma = span[-1].lemma_.lower()
        if lemma in evaluative_words():  # "the government" alone is too generic to resolve
            owners[lemma].add(term.entity_key)
    for tok in doc:
        keys = owners.get(tok.lemma_.lower())
        if not keys or len(keys) != 1 or tok.i in token_key or tok.pos_ != "NOUN":
            continue
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            continue
        if any(
            c.dep_ in {"compound", "poss"}
            or (c.lower_ == "of" and any(g.pos_ == "PROPN" for g in c.children))
            for c in tok.children
        ):
            continue  # "the Maduro regime" / "the regime of X" is handled by _labels
        (key,) = tuple(keys)
        kind = "label" if tok.lemma_.lower() in side_words() else _kind_for(tok, "modifier")
        out.add(key, *_noun_phrase(tok, set(token_key)), kind)
