"""Quote spans: which quoted passages are statements, which cue each takes, indirect contents.

Split out of ``quotes`` (which turns these drafts into ``Quote`` records). Direct quotes come
from quotation marks (``quotes_marks``); their cue is the nearest reporting cue in the same
sentence, after the closing mark first ("…," Lavrov said), then before the opening mark
(Lavrov said: "…"), then a previous sentence ending in a colon; fragments of one quotation
are separate drafts of one chain. Indirect drafts come from reporting cues in the parse
(``quotes_cues``) and from the learned cue model (``quotes_learned``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from dateline.models import QuoteKind
from dateline.stages import quotes_learned
from dateline.stages.quotes_bounds import (
    close_inner_quote,
    drop_final_period,
    open_inner_quote,
)
from dateline.stages.quotes_candidates import colon_candidate
from dateline.stages.quotes_cues import Cue, cue_class, quote_lexicon, reporting_verbs
from dateline.stages.quotes_marks import QuotedSpan

# A quotation without any cue counts as a statement from this many words on (shorter ones
# are scare quotes or titles: the "Montevideo mechanism", an "interim president").
MIN_CUELESS_WORDS = 5
# '"A," said X, a lawyer in Orlando who … . "B."': B continues A's quotation across at most
# this many characters (one sentence; 120 cut off long appositions of the speaker)
_MAX_CHAIN_GAP = 200
# one paragraph break, however typeset: "\n", a blank line, or a line of spaces between
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)*")
_BOUNDARY_BEFORE = set(":,;\u2014\u2013-([")


@dataclass(slots=True)
class Draft:
    start: int
    end: int
    kind: QuoteKind
    cue: Cue | None
    chain: int | None = None
    via_cue: Cue | None = None
    # a quotation paragraph after one whose cue names the speaker: the same speaker, no cue
    speaker_chain: int | None = None


@lru_cache(maxsize=1)
def _sent_end() -> re.Pattern[str]:
    """A sentence end, but not the period of an honorific or an initial.

    "“A,” Mr. Rhodes said." must keep "said" in the quote's sentence; the abbreviations
    are ``quote_lexicon.json``'s ``abbreviations`` (a lone capital letter is an initial).
    """
    words = quote_lexicon().get("abbreviations", [])
    names = sorted({str(w) for w in words} if isinstance(words, list) else set())
    behind = "".join(rf"(?<!\b{re.escape(w)})" for w in names) + r"(?<!\b[A-Z])"
    return re.compile(behind + r"[.!?](?=[\s\"\u201d\u2019]|$)|\n")


def _sentence_bounds(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """Start and end offsets of the sentence around ``pos`` (character heuristics)."""
    start = lo
    for m in _sent_end().finditer(text, lo, pos):
        start = m.end()
    found = _sent_end().search(text, pos, hi)
    end = found.end() if found else hi
    return start, end


def _standalone(text: str, q: QuotedSpan, cue_before: bool) -> bool:
    """True when the quotation starts a clause (not a phrase inside running text)."""
    before = text[: q.open_at].rstrip(" \t\u00a0")
    if not before or before.endswith("\n") or cue_before:
        return True
    last = before[-1]
    if last in _BOUNDARY_BEFORE or last in '.!?\u201d"':
        return True
    return bool(re.search(r"\bthat$", before))


def _word_count(text: str) -> int:
    return len(text.split())


def plan(
    text: str,
    spans: Sequence[QuotedSpan],
    cues: Sequence[Cue],
    doc: Doc,
    scored: list[quotes_learned.Scored] | None = None,
) -> list[Draft]:
    """Decide which quoted spans are direct quotes and which cue each one takes."""
    cue_at = {doc[c.verb].idx: c for c in cues}
    cue_pos = sorted(cue_at)
    used: set[int] = set()
    drafts: list[Draft] = []
    chain_cue: dict[int, Cue | None] = {}
    inside = [(q.open_at, q.close_end) for q in spans]

    def cues_between(lo: int, hi: int) -> list[Cue]:
        return [
            cue_at[p] for p in cue_pos if lo <= p < hi and not any(a <= p < b for a, b in inside)
        ]

    n_len = len(text)
    for i, q in enumerate(spans):
        nxt_open = spans[i + 1].open_at if i + 1 < len(spans) else n_len
        prev_close = spans[i - 1].close_end if i > 0 else 0
        para_start = text.rfind("\n", 0, q.open_at) + 1
        para_end = text.find("\n", q.close_end)
        para_end = n_len if para_end < 0 else para_end
        s_start, _ = _sentence_bounds(text, q.open_at, max(para_start, prev_close), q.open_at)
        _, s_end = _sentence_bounds(text, q.close_end, q.close_end, min(nxt_open, para_end))
        if text[q.close_end - 1 - q.mark : q.close_end - q.mark] in {".", "!", "?"}:
            after_at = q.close_end
            while after_at < len(text) and text[after_at] in " \t\u00a0":
                after_at += 1
            if text[after_at : after_at + 1].isupper() and not _speaker_sentence(
                text, after_at, min(nxt_open, para_end), cue_at
            ):
                s_end = q.close_end  # "…end.” Next sentence." — the quote ended the sentence
        after = cues_between(q.close_end, s_end)
        before = cues_between(s_start, q.open_at)
        cue_before = (
            bool(before) and len(text[doc[before[-1].verb].idx : q.open_at].split()) <= 2
        )  # "said “…" / "said that “…"
        ends_clause = bool(re.match(r"\s*([.!?]|$|\n)", text[q.close_end : q.close_end + 3]))
        long_enough = _word_count(text[q.start : q.end]) >= MIN_CUELESS_WORDS
        standalone = _standalone(text, q, cue_before and (ends_clause or long_enough))
        cue: Cue | None = None
        via: Cue | None = None
        kind: QuoteKind = "direct"
        if cue_before and standalone:  # "Lavrov rebuked “…”, …": the verb right before
            cue = before[-1]
            if _inside_reported_clause(text, doc, cue, q):
                continue  # 'concluded that “it was an insult” to X': one mixed quote
            if cue.speaker is None and any(
                _inside_reported_clause(text, doc, c, q) for c in before[:-1]
            ):
                continue  # 'X said it … and would support “…”': X's one mixed quote
            _, full_end = _sentence_bounds(text, q.close_end, q.close_end, para_end)
            via = next(
                (c for c in cues_between(q.close_end, full_end) if c.speaker and c.according),
                None,
            )
            frames = reporting_verbs().get(doc[cue.verb].lemma_.lower())
            if (
                frames is not None
                and not frames.clause
                and (frames.to or frames.obj or frames.preps)
            ):
                kind = "mixed"  # a quoted object ("accused X of “…”"), not a full statement
        elif after:
            cue = after[0]
            via = next((c for c in after[1:] if c.speaker is not None), None)
        elif before and standalone:
            cue = before[-1]
            if _inside_reported_clause(text, doc, cue, q):
                continue  # "argued the plan, which …, “would fail” without …": a mixed quote
        elif standalone:
            prev = text[max(para_start - 3, 0) : q.open_at].rstrip()
            if prev.endswith(":") and text[para_start : q.open_at].strip():
                cue = _colon_cue(doc, text.rindex(":", para_start, q.open_at))
            elif prev.endswith(":") and cue_pos:  # 'He said:\n\n“…”': the paragraph before
                prev_end = len(text[:para_start].rstrip())
                back = cues_between(text.rfind("\n", 0, prev_end) + 1, q.open_at)
                cue = back[-1] if back else None
        if cue is None and standalone:
            cue = _dash_credit(text, doc, q.close_end)
        continued = any(p.chain == q.chain for p in spans[:i])  # speaker comes from the chain
        speaker_chain: int | None = None
        if cue is None and standalone and not continued and drafts and drafts[-1].cue and i > 0:
            # '“A,” he said. “B.”': the next sentence of the same speaker's quotation;
            # in the next paragraph, the same speaker without the cue (a new statement)
            gap = text[spans[i - 1].close_end : q.open_at]
            breaks = len(_PARAGRAPH_BREAK.findall(gap))
            if (
                drafts[-1].end <= spans[i - 1].end
                and len(gap) < _MAX_CHAIN_GAP
                and breaks <= 1
                and len(_sent_end().findall(gap)) <= 1 + gap.count("\n")
            ):
                if breaks and drafts[-1].kind == "direct":
                    speaker_chain = drafts[-1].chain
                else:
                    cue = drafts[-1].cue
        if q.chain in chain_cue and cue is None:
            cue = chain_cue[q.chain]
        elif not standalone:
            tail = text[q.close_end - 1 - q.mark : doc[after[0].verb].idx] if after else ""
            if (
                after
                and not before
                and not after[0].according
                and re.fullmatch(r"[,.]?\W?\s*,?\s*[\w\s.'\u2019-]{0,60}", tail)
                and ("," in text[q.end - 1 : q.close_end + 2])
            ):
                # 'It was “vital …,” the statement added': quotation ending the clause
                drafts.append(Draft(s_start, q.close_end, "mixed", after[0], q.chain))
                used.add(after[0].verb)
                chain_cue.setdefault(q.chain, after[0])
            continue  # otherwise an embedded phrase: a mixed quote's fragment or scare quote
        if cue is None and _word_count(text[q.start : q.end]) < MIN_CUELESS_WORDS:
            continue
        chain_cue.setdefault(q.chain, cue)
        for c in (cue, via):
            if c is not None:
                used.add(c.verb)
        drafts.append(Draft(q.start, q.end, kind, cue, q.chain, via, speaker_chain))
    if scored is None:
        scored = quotes_learned.scored_candidates(doc)
    _add_indirect(text, spans, cues, doc, drafts, used, scored)
    _add_learned(text, spans, doc, drafts, used, scored)
    # a quotation running on from a paragraph whose opening fragment sat in a mixed quote
    for d in drafts:
        if d.kind != "direct" or d.cue is not None or d.chain is None:
            continue
        firsts = [q for q in spans if q.chain == d.chain and q.start < d.start]
        for q in firsts:
            host = next((h for h in drafts if h.cue and h.start <= q.start < h.end + 2), None)
            if host is not None:
                d.cue = host.cue
                break
    return drafts


_SCARE_BEFORE = re.compile(
    r"\b(the|a|an|so-called|so called|its|their|his|her|this|that)\s*$", re.I
)


_SPEAKER_SENTENCE = re.compile(
    r"(?:[\w.'\u2019-]+\s+){1,6}?"
    r"(?:said|says|added|adds|told|wrote|writes|continued|explained|tweeted|tweets|posted"
    r"|noted|notes|asked|asks|replied|declared|insisted|argued|warned)\b"
)


# "“…” — Jena Ortiz, The Daily Clarion" / "“…”\n- Sanders.": a dash and a name after a quotation
_DASH_CREDIT = re.compile(
    r"[ \t\u00a0]*(?:\n[ \t\u00a0]*){0,2}[\u2014\u2015\u2013-]{1,2}[ \t\u00a0]*"
    r"(?P<name>[A-Z][\w.'\u2019-]*(?:[ \t\u00a0]+(?:[A-Z][\w.'\u2019-]*|of|de|van|von|al)){0,4})"
    r"[ \t\u00a0]*(?=[,.;(]|\n|$)"
)


def _dash_credit(text: str, doc: Doc, close_end: int) -> Cue | None:
    """The speaker a dash names after a quotation, as in round-ups and fact checks."""
    m = _DASH_CREDIT.match(text, close_end)
    if m is None:
        return None
    dash = doc.char_span(m.start(), m.start("name"), alignment_mode="expand")
    name = doc.char_span(m.start("name"), m.end("name"), alignment_mode="expand")
    if dash is None or name is None:
        return None
    marks = [t for t in dash if t.text.strip() and t.text.strip("-\u2014\u2015\u2013") == ""]
    if not marks:
        return None
    return Cue(marks[0].i, marks[0].i, marks[0].i + 1, (name.start, name.end), None, None)


def _colon_cue(doc: Doc, colon_at: int) -> Cue | None:
    """The colon right before a quotation, with the phrase before it as the speaker.

    "Harbor Blog: “…”", "The blog also brushed aside his plan: “…”": the speaker is the
    label or the subject before the colon, in the quotation's own paragraph (never a cue
    from the paragraph before).
    """
    span = doc.char_span(colon_at, colon_at + 1)
    if span is None:
        return None
    cand = colon_candidate(doc, span[0], min_words=0)
    if cand is None or cand.speaker is None:
        return None
    return Cue(span[0].i, span[0].i, span[0].i + 1, cand.speaker, None, None)


def _speaker_sentence(text: str, at: int, hi: int, cue_at: dict[int, Cue]) -> bool:
    """Whether the sentence at ``at`` names the speaker of the quotation just before it.

    '“… votes.” Mayor Anna Petrova said as the count began.': a short subject and a
    reporting verb that reports nothing of its own in that sentence ("The mayor said the
    water would fall" is a new statement, not the quotation's attribution).
    """
    m = _SPEAKER_SENTENCE.match(text, at, hi)
    if m is None:
        return False
    verb_at = m.end() - len(m.group().split()[-1])
    cue = cue_at.get(verb_at)
    return cue is not None and (cue.content is None or cue.content[1] <= verb_at)


def _inside_reported_clause(text: str, doc: Doc, cue: Cue, q: QuotedSpan) -> bool:
    """Whether a quotation sits inside the clause its cue reports, with words around it.

    "Reyes argued the pipeline, which farmers like, “would not go ten miles” without aid",
    "concluded that “it would have been an insult” to the veterans": the quoted words are a
    fragment of the reported clause, which becomes one mixed quote (``_add_indirect``), not
    a direct quote that drops the rest of the clause.
    """
    if cue.content is None or cue.according or not _reported(doc, cue):
        return False  # (a quotation that would not be reported as mixed stays direct)
    s, e = cue.content
    if s > q.open_at + 1 or e < q.close_end - 2:
        return False  # the quotation is not inside the reported clause
    return _word_count(text[s : q.open_at]) >= 2 or _word_count(text[q.close_end : e]) >= 2


def _is_scare(text: str, q: QuotedSpan) -> bool:
    """A short quoted phrase right after a determiner: a label, not a statement fragment."""
    return _word_count(text[q.start : q.end]) <= 4 and bool(
        _SCARE_BEFORE.search(text[max(0, q.open_at - 20) : q.open_at])
    )


def _reported(doc: Doc, c: Cue) -> bool:
    """Whether a cue's content makes an indirect quote, judged by who reports it."""
    if c.speaker is not None and doc[c.speaker[1] - 1].lower_ in {"i", "we", "us", "you"}:
        return False  # first/second person: the writer or a quoted speaker, not reported
    passive_root = doc[c.verb].dep_ == "ROOT" and any(
        t.dep_ == "nsubjpass" for t in doc[c.verb].children
    )
    # no speaker and not "it was reported that …"
    return c.speaker is not None or c.via is not None or c.according or passive_root


def _add_indirect(
    text: str,
    spans: Sequence[QuotedSpan],
    cues: Sequence[Cue],
    doc: Doc,
    drafts: list[Draft],
    used: set[int],
    scored: Sequence[quotes_learned.Scored] = (),
) -> None:
    shapes = quotes_learned.shape_table(doc, list(scored))
    direct = [(d.start, d.end) for d in drafts]
    quoted = [(q.open_at, q.close_end) for q in spans]
    pending: list[Draft] = []
    all_cues = list(cues)
    for c in cues:
        if c.verb in used or c.content is None:
            continue
        pos = doc[c.verb].idx
        if any(a <= pos < b for a, b in quoted):
            continue  # a reporting verb inside a quotation is part of what was said
        s, e = c.content
        if any(s < b and e > a for a, b in direct):
            continue
        if not c.according:  # the cue model's boundary when it ranks another shape higher
            s, e = quotes_learned.best_shape(shapes, c.verb, (s, e)) or (s, e)
        if not _reported(doc, c):
            continue
        inner = [q for q in spans if q.open_at < e and q.close_end > s]
        for q in inner:  # keep the closing mark of a quotation that ends the content
            if q.open_at >= s and e < q.close_end <= e + 3:
                e = q.close_end
        e = close_inner_quote(text, s, drop_final_period(text, s, e))
        s = open_inner_quote(text, s, e)
        mixed = any(not _is_scare(text, q) for q in inner)
        pending.append(Draft(s, e, "mixed" if mixed else "indirect", c))
    # "A said …, said B" / "…, according to B": the outer cue is the inner quote's channel
    outer: set[int] = set()
    for d in pending:
        assert d.cue is not None
        if d.cue.according or d.cue.speaker is None:
            continue
        v = doc[d.cue.verb].idx
        for o in all_cues:
            if o is d.cue or o.speaker is None or o.content is None:
                continue
            # "A said …, according to B" / "According to B, A said …": the phrase credits
            # the report whose verb it hangs on, or closes the report's content (the parser
            # hangs a closing "according to" on the content's last verb), when that report is
            # the sentence's main verb. Not a report it merely holds ("… an agreement that
            # would see him endorse her, according to Democrats"; "X has praised …, and won
            # 77 percent …, according to exit polls")
            at = doc[o.verb].idx
            last = doc[o.verb].right_edge
            closing = d.start < at < d.end and last.idx + len(last.text) >= d.end
            main = doc[d.cue.verb].dep_ == "ROOT"  # the report is what the sentence says
            credits = o.according and main and (closing or doc[o.verb].head.i == d.cue.verb)
            if doc[d.cue.verb] in doc[o.verb].ancestors and not credits:
                continue  # "… ever since Guaido declared …" hangs below the cue: no channel
            if o.content[0] <= v < o.content[1] and (at > d.end or credits):
                d.via_cue = o
                outer.add(o.verb)
                if credits and closing:
                    d.end = d.start + len(text[d.start : at].rstrip(" ,\u2014-"))
    pending = [d for d in pending if d.cue is None or d.cue.verb not in outer]
    drafts.extend(pending)


def _add_learned(
    text: str,
    spans: Sequence[QuotedSpan],
    doc: Doc,
    drafts: list[Draft],
    used: set[int],
    scored: list[quotes_learned.Scored],
) -> None:
    """Attributions whose cue is outside the lexicon (stances, beliefs, colons), best first.

    A learned cue is kept only with a speaker in its sentence (on PolNeAR train, speakerless
    ones cost more source accuracy than they add recall) and only where it collides with
    nothing found so far: its cue is not
    inside another content, its content holds no other cue and overlaps no other content
    (PolNeAR's attributions are univocal; so are ours).
    """
    taken = [(d.start, d.end) for d in drafts]
    cue_at = [doc[d.cue.verb].idx for d in drafts if d.cue is not None]
    cue_at += [doc[d.via_cue.verb].idx for d in drafts if d.via_cue is not None]
    for cue, _p in quotes_learned.find_learned_cues(doc, scored=scored):
        if cue.verb in used or cue.content is None:
            continue
        if cue.speaker is None and doc[cue.verb].pos_ != "ADV":
            continue  # a stance nobody holds in the sentence is mostly a misread
        if cue_class(doc[cue.verb]) is None:
            continue  # an action ("signed 11 agreements"), not a statement or a position
        pos = doc[cue.verb].idx
        s, e = cue.content
        if any(a <= pos < b for a, b in taken) or any(s <= c < e for c in cue_at):
            continue
        if any(s < b and e > a for a, b in taken):
            continue
        e = close_inner_quote(text, s, drop_final_period(text, s, e))
        s = open_inner_quote(text, s, e)
        inner = [q for q in spans if q.open_at < e and q.close_end > s]
        mixed = any(not _is_scare(text, q) for q in inner)
        drafts.append(Draft(s, e, "mixed" if mixed else "indirect", cue))
        taken.append((s, e))
        cue_at.append(pos)
        used.add(cue.verb)
