"""Fold reports of the same real-world event from several articles into one ``Event``.

Two reports are the same event when they have the same PLOVER type, the same participants
(corpus entity ids; order-insensitive for symmetric types such as CONSULT), no conflicting
mode (a phone call is not a visit), and compatible dates: equal, one inside the other's
precision ("May 2019" contains "2019-05-05"), or one undated and its article within a few days
of the other's date or in the same story. A planned report ("will meet on Friday") and a
report that it happened ("met on Friday") with compatible dates are one event, which has
happened; negated and hypothetical reports stay apart. A report with a single participant
needs a date to merge; a report with no participant joins a dated event of its own article
with the same type and date ("Wednesday's meeting" next to "met Maduro on Wednesday").
Undated reports first take the date of a dated report of the same happening in their own
article (:func:`dateline.stages.event_dates.inherit_dates`). Candidates are blocked by
(type, participants), so the cost is near-linear in the number of events.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

from dateline.models import Event, EventMention, Precision
from dateline.stages.event_dates import inherit_dates

VERSION = "eventmerge.v2"

SYMMETRIC_TYPES = frozenset({"CONSULT", "COOPERATE", "FIGHT", "AGREE"})
_PRECISION_RANK: dict[str | None, int] = {"day": 0, "week": 1, "month": 2, "year": 3, None: 4}
# An undated report joins a dated one of the same participants if its sentence's article is
# within this many days (news reports an event within a few days of it).
_UNDATED_WINDOW = timedelta(days=7)


def _interval(d: date, precision: Precision | None) -> tuple[date, date]:
    if precision == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if precision == "month":
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return date(d.year, d.month, 1), nxt - timedelta(days=1)
    if precision == "week":
        start = d - timedelta(days=d.weekday())
        return start, start + timedelta(days=6)
    return d, d


def dates_compatible(a: Event, b: Event) -> bool:
    """Equal dates, or one inside the other's interval; undated reports are compatible."""
    if a.date is None or b.date is None:
        return True
    a0, a1 = _interval(a.date, a.date_precision)
    b0, b1 = _interval(b.date, b.date_precision)
    if a.date_precision == b.date_precision == "day":
        return a.date == b.date
    return (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)


def _participant(
    ev: Event, key: str | None, text: str | None, entity_of: Mapping[tuple[str, str], str]
) -> str | None:
    article_id = ev.mentions[0].article_id if ev.mentions else ""
    if key is not None:
        found = entity_of.get((article_id, key))
        if found:
            return found
    if text:
        return "text:" + " ".join(text.lower().split())
    return None


def _block_key(
    ev: Event, actor: str | None, target: str | None
) -> tuple[str, str, tuple[str, ...]]:
    parts = (actor or "", target or "")
    if ev.type in SYMMETRIC_TYPES:
        parts = tuple(sorted(parts))  # type: ignore[assignment]
    status = "happened" if ev.status == "planned" else ev.status
    return (ev.type, status, parts)


def _merged_id(events: Sequence[Event], actor: str | None, target: str | None) -> str:
    """Deterministic id from the mentions, type, participants and triggers of the reports."""
    keys = sorted(
        f"{m.article_id}:{m.start}:{m.end}:{e.type}:{e.trigger or ''}"
        for e in events
        for m in e.mentions
    )
    keys.append(f"{actor or ''}|{target or ''}")
    return "evt_" + hashlib.sha1("|".join(keys).encode("utf-8")).hexdigest()[:16]


def _combine(group: list[Event], actor: str | None, target: str | None) -> Event:
    """One event from several reports: most precise date, noisy-or confidence, all mentions."""
    # A report that it happened speaks for the event better than the announcement of it.
    best = max(
        group,
        key=lambda e: (e.status == "happened", e.confidence, -_PRECISION_RANK[e.date_precision]),
    )
    dated = [e for e in group if e.date is not None]
    dated.sort(key=lambda e: (_PRECISION_RANK[e.date_precision], -e.confidence))
    when = dated[0] if dated else None
    miss = 1.0
    for e in group:
        miss *= 1.0 - max(0.0, min(1.0, e.confidence))
    mentions = _mentions(group)
    location = best.location or next((e.location for e in group if e.location), None)
    statuses = {e.status for e in group}
    status = "happened" if "happened" in statuses else best.status
    return replace(
        best,
        status=status,
        id=_merged_id(group, actor, target),
        date=when.date if when else None,
        date_precision=when.date_precision if when else None,
        location=location,
        mentions=mentions,
        confidence=round(min(0.99, 1.0 - miss), 3),
        actor=actor if actor and not actor.startswith("text:") else None,
        target=target if target and not target.startswith("text:") else None,
        actor_code=best.actor_code or next((e.actor_code for e in group if e.actor_code), None),
        target_code=best.target_code or next((e.target_code for e in group if e.target_code), None),
    )


def _mentions(group: list[Event]) -> tuple[EventMention, ...]:
    """All mentions, by article and start; a lone report's own tuple when already so.

    Most events are never merged: sharing their tuple keeps the corpus from holding a copy
    of every mention.
    """
    if len(group) == 1:
        own = group[0].mentions
        if all((a.article_id, a.start) < (b.article_id, b.start) for a, b in pairwise(own)):
            return own
    return tuple(
        sorted({m for e in group for m in e.mentions}, key=lambda m: (m.article_id, m.start))
    )


def _joinable(
    cluster: list[Event],
    ev: Event,
    article_dates: Mapping[str, date | None],
    story_of: Mapping[str, str | None],
    *,
    both_participants: bool,
) -> bool:
    if not all(dates_compatible(ev, other) for other in cluster):
        return False
    if any(ev.mode and other.mode and ev.mode != other.mode for other in cluster):
        return False  # a phone call is not the meeting between the same two people
    if ev.date is not None and any(o.date is not None for o in cluster):
        return True
    if not both_participants:
        return False  # one participant and no date: too little to call it the same event

    def article_of(e: Event) -> str:
        return e.mentions[0].article_id if e.mentions else ""

    def when(e: Event) -> date | None:
        return e.date or article_dates.get(article_of(e))

    mine = when(ev)
    my_story = story_of.get(article_of(ev))
    for other in cluster:
        theirs = when(other)
        their_story = story_of.get(article_of(other))
        if my_story and their_story and my_story == their_story:
            continue  # the same story: the same happening
        if mine is None or theirs is None or abs(mine - theirs) > _UNDATED_WINDOW:
            return False
    return True


def merge_events(
    events: Sequence[Event],
    *,
    entity_of: Mapping[tuple[str, str], str],
    article_dates: Mapping[str, date | None] | None = None,
    story_of: Mapping[str, str | None] | None = None,
) -> tuple[Event, ...]:
    """Merge reports of the same event across articles.

    Args:
        events: per-article events (one mention each, or already merged).
        entity_of: ``(article_id, local key) -> corpus entity id`` from entity canonicalisation.
        article_dates: optional ``article_id -> publication date``, used to keep undated
            reports from joining an event weeks away.
        story_of: optional ``article_id -> story id``; undated reports from different
            stories are kept apart.

    Returns:
        Merged events with ``actor``/``target`` set to corpus entity ids, sorted by date
        (undated last) then id. Events without any participant are never merged.
    """
    dates = article_dates or {}
    stories = story_of or {}
    events = _inherit(events)
    blocks: dict[tuple[str, str, tuple[str, ...]], list[list[Event]]] = {}
    singles: list[tuple[Event, str | None, str | None]] = []
    roles: dict[int, tuple[str | None, str | None]] = {}
    ordered = sorted(events, key=lambda e: (_PRECISION_RANK[e.date_precision], e.id))
    for ev in ordered:
        actor = _participant(ev, ev.actor_key, ev.actor_text, entity_of)
        target = _participant(ev, ev.target_key, ev.target_text, entity_of)
        if actor is None and target is None:
            singles.append((ev, None, None))
            continue
        clusters = blocks.setdefault(_block_key(ev, actor, target), [])
        for cluster in clusters:
            both = actor is not None and target is not None
            if _joinable(cluster, ev, dates, stories, both_participants=both):
                cluster.append(ev)
                break
        else:
            clusters.append([ev])
            roles[id(clusters[-1])] = (actor, target)
    loose = _attach_loose(singles, blocks)
    out = [_combine([ev], a, t) for ev, a, t in loose]
    for clusters in blocks.values():
        for cluster in clusters:
            actor, target = roles[id(cluster)]
            out.append(_combine(cluster, actor, target))
    out.sort(key=lambda e: (e.date is None, e.date or date.min, e.id))
    return _unique_ids(out)


def _inherit(events: Sequence[Event]) -> list[Event]:
    """Re-apply in-article date inheritance (dates may have been re-anchored since)."""
    by_article: dict[str, list[int]] = {}
    for i, ev in enumerate(events):
        by_article.setdefault(ev.mentions[0].article_id if ev.mentions else "", []).append(i)
    out = list(events)
    for idx in by_article.values():
        if len(idx) < 2:
            continue
        for i, ev in zip(idx, inherit_dates([events[i] for i in idx], None), strict=True):
            out[i] = ev
    return out


def _attach_loose(
    singles: list[tuple[Event, str | None, str | None]],
    blocks: Mapping[tuple[str, str, tuple[str, ...]], list[list[Event]]],
) -> list[tuple[Event, str | None, str | None]]:
    """A participant-less dated report joins the one same-type, same-date event of its article."""
    index: dict[tuple[str, str, tuple[date, date]], list[list[Event]]] = {}
    for (etype, status, _parts), clusters in blocks.items():
        if status != "happened":
            continue
        for cluster in clusters:
            for ev in cluster:
                if ev.date is None or not ev.mentions:
                    continue
                key = (ev.mentions[0].article_id, etype, _interval(ev.date, ev.date_precision))
                if not any(c is cluster for c in index.get(key, [])):
                    index.setdefault(key, []).append(cluster)
    rest = []
    for ev, a, t in singles:
        if ev.date is None or not ev.mentions or ev.status not in {"happened", "planned"}:
            rest.append((ev, a, t))
            continue
        span = _interval(ev.date, ev.date_precision)
        found = index.get((ev.mentions[0].article_id, ev.type, span), [])
        if len(found) > 1:  # the one with both participants named is the happening in view
            found = [c for c in found if c[0].actor_key and c[0].target_key] or found
        if len(found) == 1 and not any(ev.mode and o.mode and ev.mode != o.mode for o in found[0]):
            found[0].append(ev)
        else:
            rest.append((ev, a, t))
    return rest


def _unique_ids(events: list[Event]) -> tuple[Event, ...]:
    """Suffix the rare id collision (two same-type events in one sentence with one trigger)."""
    seen: dict[str, int] = {}
    out = []
    for ev in events:
        n = seen.get(ev.id, 0)
        seen[ev.id] = n + 1
        out.append(ev if n == 0 else replace(ev, id=f"{ev.id}_{n}"))
    return tuple(out)
