"""Cleaning the spans a cue gives a quote: its content and its speaker phrase.

The parser and the page mislead the rules in a few recurring ways: a wire credit
("MOSCOW, May 5 (Xinhua) --") or a headline line run into a sentence, a reported content
that runs into the next paragraph or opens with the day of the saying, a passive subject
taken for the speaker, statements in capitalised headlines. Pure functions over a Doc and
character or token offsets; ``quotes.extract_quotes`` applies them before and after the
content tagger.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Token

from dateline.models import Article, Quote
from dateline.stages.doctext import doc_text
from dateline.stages.quotes_candidates import Candidate
from dateline.stages.quotes_cues import Cue, np_range
from dateline.stages.quotes_spans import Draft


def shouted_token(tok: Token) -> bool:
    """A word in capitals ("SAYS"), not a one-letter word or an acronym-like symbol."""
    return sum(ch.isalpha() for ch in tok.text) >= 2 and tok.text.isupper()


_TITLE_SMALL = frozenset(
    {
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "nor",
        "with", "by", "from", "as", "vs", "via", "into", "over", "about",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def title_case_line(text: str, at: int) -> bool:
    """Whether the line around ``at`` is set in title case, as link lists and the headlines
    of other stories are ("Rubio Saying We Need Fewer Philosophers"); prose capitalises a
    few names only. The text's first line, its own headline, is not counted."""
    lo = text.rfind("\n", 0, at) + 1
    if not text[:lo].strip():
        return False
    hi = text.find("\n", at)
    line = text[lo : len(text) if hi < 0 else hi]
    content = [w for w in _WORD.findall(line) if w.lower() not in _TITLE_SMALL]
    return len(content) >= 4 and all(w[0].isupper() for w in content)


# a line that links to other stories: "Related Coverage China says …", "READ MORE: X says …"
_LINK_LABEL = re.compile(
    r"[^\S\n]*(?:related(?:\s+(?:coverage|stories|articles|content|video))?|read\s+more"
    r"|see\s+also|also\s+read|more\s+on\s+this)[^\S\n]*(?::|$|(?=(?-i:[A-Z\"\u201c])))",
    re.IGNORECASE | re.MULTILINE,
)


def link_line(text: str, at: int) -> bool:
    """Whether the line around ``at`` opens with a related-links label, or follows a line
    that is only one ("Related Coverage\nChina says …")."""
    lo = text.rfind("\n", 0, at) + 1
    if _LINK_LABEL.match(text, lo) is not None:
        return True
    above = text[: max(lo - 1, 0)].rstrip()
    label = _LINK_LABEL.match(above, above.rfind("\n") + 1)
    return label is not None and label.end() >= len(above.rstrip(": \t"))


def headline_cue(doc: Doc, tok: Token) -> bool:
    """A cue in capitals, in a title-case line or in a related-links line: a headline or a
    link to another story, not the prose."""
    if shouted_token(tok):
        return True
    text = doc_text(doc)
    if link_line(text, tok.idx):
        return True
    return tok.text[:1].isupper() and title_case_line(text, tok.idx)


def shouted(doc: Doc, d: Draft) -> bool:
    """A reported statement whose cue is in capitals sits in a headline or a link list
    ("PLURALITY OF DEMS BACK PLAN, POLL SAYS", "Rubio Saying We Need Fewer Philosophers"),
    not in the article's prose."""
    return d.kind != "direct" and d.cue is not None and headline_cue(doc, doc[d.cue.verb])


def credit_end_of(article: Article) -> int:
    """Where the article's wire credit ("MOSCOW, May 5 (Xinhua) --") ends; 0 without one."""
    from dateline.ingest.dateline import find_dateline

    credit = article.dateline or find_dateline(article)
    return credit.end if credit is not None else 0


def _after_credit(text: str, credit_end: int, start: int, end: int) -> int:
    """A content that opens the article starts after its credit and the credit's dashes.

    "SAN ALBERO, 1 May (AAN).- At least 300 people were injured …, according to X": X
    reported the injuries, not the place and day of the wire.
    """
    if not start < credit_end < end:
        return start
    at = credit_end
    while at < end and (text[at].isspace() or text[at] in ".-\u2013\u2014:"):
        at += 1
    return at if at < end else start


# A photo caption's labels, as pasted from news pages ("Image copyright Reuters Image
# caption"): the caption's own words start after the last "caption".
_CAPTION_LABEL = re.compile(r"\b(?:Image|Photo|Picture|Media)\s+caption\b\s*:?\s*")


def caption_label_end(text: str, at: int) -> int:
    """Where the caption labels at the start of ``at``'s paragraph end; 0 without them.

    "Image copyright Reuters Image caption Mike Pence is a dummy, says X": the labels and
    the photo credit are page furniture, neither what X said nor who said it.
    """
    lo = text.rfind("\n", 0, at) + 1
    hi = text.find("\n", lo)
    last = 0
    # the labels open the paragraph (a credit between them); later it is prose
    for m in _CAPTION_LABEL.finditer(text, lo, min(lo + 100, len(text) if hi < 0 else hi)):
        last = m.end()
    return last


def trim_content(
    doc: Doc, text: str, credit_end: int, cue_at: int | None, start: int, end: int
) -> tuple[int, int]:
    """A content without the wire credit or a caption's labels and, for reported speech
    (``cue_at`` given), inside its cue's paragraph and after the cue's day; empty
    (end <= start) if nothing is left, as for a content inside the credit itself."""
    if end <= credit_end:
        return start, start
    start = _after_credit(text, credit_end, start, end)
    labels_end = caption_label_end(text, start)
    if start < labels_end < end:
        start = labels_end
    if cue_at is not None:
        start, end = content_in_paragraph(text, cue_at, start, end)
        if end > start:
            start = _after_day(doc, start, end)
    return start, end


# "did not respond to a request for comment", "declined to comment", "requested anonymity to
# discuss …", "asked not to be named": news boilerplate about a statement nobody made
_NO_STATEMENT = re.compile(
    r"(?:not\s+)?to\s+comment\b|comment\s*$|not\s+to\s+be\s+(?:named|identified)\b"
    r"|(?:[\w-]+\s+){0,2}(?:requests?|inquir(?:y|ies)|messages?|e-?mails?|calls?|questions?)"
    r"\s+(?:for|seeking|requesting)\s+comment\b"
    r"|anonymity\b",
    re.IGNORECASE,
)


def no_statement(text: str) -> bool:
    """A reported content that says nobody said anything ("a request for comment")."""
    return _NO_STATEMENT.match(text) is not None


_WITHHELD = frozenset(
    {"say", "comment", "discuss", "confirm", "elaborate", "specify", "disclose", "reveal",
     "detail", "answer", "identify", "name", "speculate", "address"}
)  # fmt: skip


def withheld(doc: Doc, cue_start: int | None, cue_end: int | None) -> bool:
    """A cue that says the words were not given: "declined to say whether …", "refused to
    confirm …"; what follows is the question, not an answer. The cue may hold the refusal
    alone ('refused', the tagger's cue) or with what was refused ('refused to confirm')."""
    if cue_start is None or cue_end is None:
        return False
    span = doc.char_span(cue_start, cue_end, alignment_mode="expand")
    return span is not None and any(
        _refused(verb.head, verb) or any(_refused(verb, c) for c in verb.children) for verb in span
    )


def _refused(verb: Token, done: Token) -> bool:
    """``done`` is what ``verb`` declines or refuses to do, and it is a kind of saying."""
    return (
        verb.lemma_.lower() in {"decline", "refuse"}
        and done.dep_ == "xcomp"
        and done.lemma_.lower() in _WITHHELD
    )


def pronoun_content(doc: Doc, start: int, end: int) -> bool:
    """A reported content that is only a pronoun ("most agree that", "he said so"): it
    points at words elsewhere and says nothing on its own."""
    span = doc.char_span(start, end, alignment_mode="expand")
    words = [t for t in span if not (t.is_punct or t.is_space)] if span is not None else []
    return len(words) == 1 and (words[0].pos_ in {"PRON", "DET"} or words[0].lower_ == "so")


def beside_cue(doc: Doc, cand: Candidate, start: int, end: int) -> tuple[int, int]:
    """A tagged content keeps to its candidate's side of the cue, without cue or speaker.

    The tagger may tag "Trump belittling his every comment" where the candidate is
    "belittling: his every comment" by Trump; the content is what follows the cue.
    """
    cue = doc[cand.cue]
    cue_start, cue_end = cue.idx, cue.idx + len(cue.text)
    if not (start < cue_end and cue_start < end):
        return start, end
    if doc[cand.content[0]].idx < cue_end:  # the content comes before its cue
        return start, min(end, cue_start)
    text = doc_text(doc)
    start = max(start, cue_end)
    while start < end and (text[start].isspace() or text[start] in ",:;-\u2014"):
        start += 1
    return start, end


def without_own_speaker(text: str, q: Quote) -> Quote | None:
    """A reported content that runs over its own speaker and cue keeps what follows them.

    "what the protests are calling for", "deficits that critics say will grow": the words
    before the speaker are a relative pronoun and its noun, not what was said. "This
    budget, she says, is different" (the cue set off by commas) stays whole.
    """
    if (
        q.kind == "direct"
        or q.speaker_start is None
        or q.cue_start is None
        or q.cue_end is None
        or not q.start <= q.speaker_start < q.cue_start < q.cue_end <= q.end
        or "," in text[q.start : q.speaker_start]
    ):
        return q
    start = q.cue_end
    while start < q.end and (text[start].isspace() or text[start] in ",:;"):
        start += 1
    if len(text[start : q.end].split()) < 2:
        return None
    return replace(q, start=start, text=text[start : q.end])


def empty_statement(doc: Doc, q: Quote) -> bool:
    """A reported content that is a bare pronoun or says nobody said anything."""
    return q.kind != "direct" and (
        pronoun_content(doc, q.start, q.end)
        or no_statement(q.text)
        or withheld(doc, q.cue_start, q.cue_end)
    )


def retrim_quote(doc: Doc, text: str, credit_end: int, q: Quote) -> Quote | None:
    """``trim_content`` again on a quote whose content the tagger redrew."""
    cue_at = q.cue_start if q.kind != "direct" else None
    start, end = trim_content(doc, text, credit_end, cue_at, q.start, q.end)
    if end <= start:
        return None
    if (start, end) == (q.start, q.end):
        return q
    return replace(q, start=start, end=end, text=text[start:end])


_WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_DAY_PARTS = frozenset({"morning", "afternoon", "evening", "night"})


def _after_day(doc: Doc, start: int, end: int) -> int:
    """A content that opens with the cue's day starts after it.

    "Mattis said on Tuesday he was awaiting a plan": the parser hangs "on Tuesday" on the
    reported clause, but it dates the saying; "said Tuesday was the deadline" keeps it.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 3:
        return start
    i = 1 if span[0].lower_ == "on" else 0
    if span[i].lower_ not in _WEEKDAYS:
        return start
    i += 1
    if i < len(span) and span[i].lower_ in _DAY_PARTS:
        i += 1
    if i < len(span) - 1 and span[i].text == ",":
        i += 1
    if i >= len(span) - 1 or span[i].pos_ not in {"PRON", "DET", "PROPN", "NOUN", "NUM", "ADJ"}:
        return start  # "Tuesday was the deadline": the day is the subject
    return max(start, span[i].idx)


def content_in_paragraph(text: str, cue_at: int, start: int, end: int) -> tuple[int, int]:
    """A reported content clipped to its cue's paragraph (the parser can run a sentence
    into the next headline or link line); empty when none of it is there."""
    lo = text.rfind("\n", 0, cue_at) + 1
    hi = text.find("\n", cue_at)
    hi = len(text) if hi < 0 else hi
    s, e = max(start, lo), min(end, hi)
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else (start, start)


def speaker_outside_credit(
    doc: Doc, speaker: tuple[int, int] | None, credit_end: int
) -> tuple[int, int] | None:
    """A speaker phrase the parser ran into the wire credit loses the credit's tokens.

    "SOLVAN, May 4 (Meridian Wire) - Karsk's foreign minister Arkadi Zhelvin pledged …": the
    speaker is the minister, not "May 4 (Meridian Wire"; a phrase inside the credit is none.
    So do a photo caption's labels ("Image copyright EPA Image caption Vladimir Putin said").
    """
    if speaker is None:
        return speaker
    s0, s1 = speaker
    limit = max(credit_end, caption_label_end(doc_text(doc), doc[s0].idx))
    if not limit:
        return speaker
    while s0 < s1 and (doc[s0].idx < limit or doc[s0].is_punct or doc[s0].is_space):
        s0 += 1
    return (s0, s1) if s0 < s1 else None


def speaker_in_cue_paragraph(
    doc: Doc, speaker: tuple[int, int] | None, verb: int
) -> tuple[int, int] | None:
    """The part of a speaker phrase in the cue's paragraph (the parser may run a headline
    line into the next sentence's subject: "… THE BUDGET\nNASA said")."""
    if speaker is None:
        return None
    s0, s1 = speaker
    for i in range(s0, s1):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            if i < verb:
                s0 = i + 1
            else:
                s1 = min(s1, i + (0 if "\n" in doc[i].text else 1))
                break
    while s0 < s1 and (doc[s0].is_space or doc[s0].is_punct):
        s0 += 1  # also a stray closing mark the parser took into the phrase
    while s1 > s0 and (doc[s1 - 1].is_space or doc[s1 - 1].is_punct):
        s1 -= 1
    if s0 >= s1:
        return None
    lo, hi = (s1, verb) if s1 <= verb else (verb + 1, s0)
    if any("\n" in t.text_with_ws for t in doc[max(lo - 1, 0) : hi]):
        return None  # the whole phrase is in another paragraph ("(Also on X: A B C)\n\nD say")
    return s0, s1


def active_speaker(doc: Doc, cue: Cue) -> tuple[int, int] | None:
    """The cue's speaker span, unless it is the subject of a passive cue.

    "Marquez is accused of plotting …", "Respondents were asked to pick …", "Asked about
    the dam, the mayor …": the passive subject is who the words are about, not who said them.
    The speaker is then the agent ("was criticised by the mayor") or nobody.
    """
    if cue.speaker is None:
        return None
    verb = doc[cue.verb]
    if (
        verb.tag_ == "VBN"
        and verb.dep_ == "advcl"
        and not any(c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass"} for c in verb.children)
    ):
        return None  # "Asked about the dam, the mayor said …": the mayor did not ask
    for child in verb.children:
        if child.dep_ == "nsubjpass" and np_range(child) == cue.speaker:
            agents = [g for a in verb.children if a.dep_ == "agent" for g in a.children]
            objs = [g for g in agents if g.dep_ == "pobj"]
            return np_range(objs[0]) if objs else None
    return cue.speaker
