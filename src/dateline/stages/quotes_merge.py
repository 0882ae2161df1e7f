"""One set of quotes from the rules' and the attribution tagger's readings of an article.

The tagger (``quotes_neural``) finds reported speech the rules miss and bounds contents
the way PolNeAR's annotators do; the rules know who speaks in constructions the tagger
reads differently: "X was quoted by Tass as saying" (X speaks, via Tass; the tagger makes
Tass the source and X a content), passive subjects ("X is accused of"), photo captions,
"…, as the minister said". So the two are reconciled statement by statement, a statement
being the tagger's contents on one cue:

- a statement the rules also found (their cues overlap, or the rules' "quoted … as
  saying" sits inside the tagger's content) keeps the rules' speaker, ``via`` and cue; it
  keeps the rules' content too where the two contents agree (half of the longer, neither
  counting a speaker or cue it holds as an aside) or the rules' quote is a direct
  quotation, and the tagger's content otherwise;
- fragments the tagger cut from the rules' own speaker or cue ("…, as the chief
  executive said") are not contents;
- a statement only the tagger found stands, and replaces the rules' quotes its contents
  overlap, except direct quotations the rules attribute (with a cue): quotation marks
  bound those and the rules' grammar names their speaker. A quotation the rules leave
  without a cue takes the tagger's reading ("… I'm a progressive …," Clinton cracked).

Measured on the every-6th PolNeAR train holdout (benchmarks/results/quotes.md, round 10):
content F1 0.777 -> 0.776 against letting the tagger's reading win everywhere but on the
rules' direct quotes (round 9), source accuracy 0.897 -> 0.910.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from dateline.models import Quote, QuoteKind
from dateline.stages.quotes_confidence import statement_key


def merged(ruled: Sequence[Quote], learned: Sequence[Quote]) -> list[Quote]:
    """The article's quotes: the tagger's (``learned``) reconciled with the rules'."""
    kept: list[Quote] = []
    adopted: list[Quote] = []  # rules' quotes that are the reading of a tagger statement
    for fragments in _statements(learned):
        partners = [q for q in ruled if _same_statement(q, fragments)]
        if not partners:
            kept.extend(fragments)
            continue
        frame = _frame_chars(partners)
        # before the fragments that hold the rules' frame are dropped: a content that holds
        # it is the channel's frame ("According to the BBC, [Lavrov warned that …]")
        nested = any(_holds_channel_frame(fragments, q) for q in partners)
        fragments = [t for t in fragments if not frame & _chars([t])] or fragments
        direct = any(q.kind == "direct" for q in partners)
        if nested or direct or _agree(fragments, partners, frame):
            adopted.extend(q for q in partners if not any(q is a for a in adopted))
            continue
        kept.extend(_spoken_as(t, partners[0]) for t in fragments)
    firm = [q for q in ruled if q.kind == "direct" and q.cue_start is not None]
    kept = [t for t in kept if not any(_overlap(q, t) for q in firm)]
    rest = [
        q
        for q in ruled
        if not any(q is a for a in adopted) and not any(_overlap(q, t) for t in kept)
    ]
    return kept + adopted + rest


def _statements(learned: Sequence[Quote]) -> list[list[Quote]]:
    """The tagger's quotes grouped by cue: the fragments of one statement."""
    groups: dict[object, list[Quote]] = {}
    for t in learned:
        key = (t.cue_start, t.cue_end) if t.cue_start is not None else t.id
        groups.setdefault(key, []).append(t)
    return list(groups.values())


def _same_statement(q: Quote, fragments: Sequence[Quote]) -> bool:
    """The rules' quote ``q`` reads the same statement: the cues overlap, the tagger's source
    is ``q``'s channel and the contents overlap ("The group announced that …, according to
    the AP", which the tagger reads as the AP's), or ``q`` is a "quoted … as saying" whose
    cue or speaker the tagger's content holds (``_holds_channel_frame``)."""
    t = fragments[0]
    if q.cue_start is None or q.cue_end is None or t.cue_start is None or t.cue_end is None:
        return False
    if q.cue_start < t.cue_end and t.cue_start < q.cue_end:
        return True
    if q.via is not None and t.speaker_text == q.via and _chars(fragments) & _chars([q]):
        return True  # "The group announced that …, according to the AP": the AP is the channel
    return _holds_channel_frame(fragments, q)


def _holds_channel_frame(fragments: Sequence[Quote], q: Quote) -> bool:
    """``q`` has a channel and the tagger's content is its frame: it overlaps ``q`` and holds
    its whole cue ("The radio quoted [Tom Reyes as saying that …]"), or it holds ``q``'s
    whole speaker ("The radio quoted [Tom Reyes, the harbour master], as saying that …",
    the channel's verb read as the cue), where the rules read Tom Reyes, via the radio."""
    if q.via is None or q.cue_start is None or q.cue_end is None:
        return False
    content = _chars(fragments)
    if content & _chars([q]) and all(i in content for i in range(q.cue_start, q.cue_end)):
        return True
    return (
        q.speaker_start is not None
        and q.speaker_end is not None
        and all(i in content for i in range(q.speaker_start, q.speaker_end))
    )


def _frame_chars(quotes: Sequence[Quote]) -> set[int]:
    """Where the quotes' speakers and cues are."""
    out: set[int] = set()
    for q in quotes:
        for lo, hi in ((q.cue_start, q.cue_end), (q.speaker_start, q.speaker_end)):
            if lo is not None and hi is not None:
                out.update(range(lo, hi))
    return out


def _agree(a: Sequence[Quote], b: Sequence[Quote], frame: set[int]) -> bool:
    """Contents that overlap by half of the longer at least (the benchmark's hit), neither
    counting the ``frame`` (speakers and cues) a content holds: the rules' content "Sales,
    according to the company, rose sharply" holds its own aside, which the tagger's
    fragments around it ("Sales" / "rose sharply") leave out, and the two read alike."""
    ca, cb = _chars(a) - frame, _chars(b) - frame
    return len(ca & cb) >= 0.5 * max(len(ca), len(cb))


def _spoken_as(t: Quote, r: Quote) -> Quote:
    """The tagger's content ``t`` with the speaker, channel and cue of the rules' ``r``."""
    return replace(
        t,
        speaker_key=r.speaker_key,
        co_speaker_keys=r.co_speaker_keys,
        speaker_text=r.speaker_text,
        speaker_start=r.speaker_start,
        speaker_end=r.speaker_end,
        via=r.via,
        cue=r.cue,
        cue_start=r.cue_start,
        cue_end=r.cue_end,
        cue_class=r.cue_class,
    )


def _chars(quotes: Sequence[Quote]) -> set[int]:
    out: set[int] = set()
    for q in quotes:
        out.update(range(q.start, q.end))
    return out


def _overlap(a: Quote, b: Quote) -> bool:
    return a.start < b.end and b.start < a.end


def touching_joined(text: str, quotes: Sequence[Quote]) -> list[Quote]:
    """Reported fragments of one statement with only whitespace between them, as one quote.

    The tagger sometimes opens a second content run inside one content ("struck down [a
    proposal calling for] [a snap election]"): the statement is whole, and a reader should
    not see it as two rows. Quotations keep their own marks and stay apart, and so do
    fragments in two paragraphs.
    """
    out: list[Quote] = []
    for q in sorted(quotes, key=lambda q: (q.start, q.end)):
        last = out[-1] if out else None
        if (
            last is not None
            and q.cue_start is not None
            and "direct" not in (last.kind, q.kind)
            and statement_key(last) == statement_key(q)
            and last.end <= q.start
            and not text[last.end : q.start].strip()
            and "\n" not in text[last.end : q.start]
        ):
            kind: QuoteKind = "mixed" if "mixed" in (last.kind, q.kind) else last.kind
            out[-1] = replace(last, end=q.end, text=text[last.start : q.end], kind=kind)
            continue
        out.append(q)
    return out
