"""Split an article's text into nested highlight nodes for safe, server-side rendering.

The text is untrusted, so it is never turned into markup here: the result is a tree of
plain-text leaves and span nodes, and the template escapes every leaf. Spans that cross
another span (neither nested nor disjoint) cannot be one element, so the lower-priority
one is drawn in pieces, cut at the other span's boundaries.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from dateline.web.index import WebIndex

# Earlier kinds win when two spans cross: event sentences are the targets of timeline
# links, quotes are the page's main subject, then figures, dates, entities, framing.
KIND_PRIORITY = ("event", "quote", "figure", "timex", "entity", "framing")


@dataclass(frozen=True, slots=True)
class Mark:
    """One span to highlight: offsets, kind, an optional extra anchor id and a tooltip."""

    start: int
    end: int
    kind: str
    anchor: str | None = None
    title: str = ""


@dataclass(slots=True)
class Node:
    """A highlighted range (all marks sharing it) with its children, or a text leaf."""

    start: int
    end: int
    text: str | None = None
    marks: list[Mark] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return sorted({m.kind for m in self.marks}, key=KIND_PRIORITY.index)

    @property
    def anchors(self) -> list[str]:
        return sorted({m.anchor for m in self.marks if m.anchor})

    @property
    def title(self) -> str:
        return "; ".join(dict.fromkeys(m.title for m in self.marks if m.title))


def article_marks(index: WebIndex, article_id: str) -> list[Mark]:
    """Every span the analysis found in one article, as marks."""
    marks: list[Mark] = []
    for event in index.events_by_article.get(article_id, ()):
        for m in event.mentions:
            if m.article_id == article_id:
                # No extra anchor: one event may have several mentions in an article.
                marks.append(Mark(m.start, m.end, "event", None, f"event {event.type}"))
    for quote in index.quotes_by_article.get(article_id, ()):
        who = quote.speaker_text or "unknown speaker"
        marks.append(Mark(quote.start, quote.end, "quote", f"q-{quote.id}", f"quote: {who}"))
    for figure in index.figures_by_article.get(article_id, ()):
        label = f"figure: {figure.measure or figure.unit or figure.value}"
        if figure.conflicts_with:
            label += " (conflicts with another report)"
        marks.append(Mark(figure.start, figure.end, "figure", f"f-{figure.id}", label))
    for timex in index.timexes_by_article.get(article_id, ()):
        marks.append(Mark(timex.start, timex.end, "timex", None, f"date: {timex.value}"))
    for linked in index.mentions_by_article.get(article_id, ()):
        entity = index.entities.get(linked.entity_id or "")
        label = f"{entity.name} ({entity.type})" if entity else linked.mention.label
        marks.append(Mark(linked.mention.start, linked.mention.end, "entity", None, label))
    for _entity_id, term in index.framing_by_article.get(article_id, ()):
        marks.append(Mark(term.start, term.end, "framing", None, f"framing: {term.kind}"))
    return marks


def _crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[0] < a[1] < b[1] or b[0] < a[0] < b[1] < a[1]


def build_tree(text: str, marks: list[Mark]) -> tuple[list[Node], list[Mark]]:
    """Nest ``marks`` over ``text``; return (top-level nodes, marks drawn in pieces or not at all).

    A mark crossing a higher-priority one is cut at the other's boundaries and drawn as
    several pieces (its extra anchor on the first piece), so it stays visible but has no
    single element for its whole range. Empty marks and marks outside the text are left
    out. Leaves hold ``text[start:end]``, so concatenating the leaves gives back the text.
    """
    accepted: dict[tuple[int, int], list[Mark]] = {}
    dropped: list[Mark] = []
    crossing: list[Mark] = []
    ordered = sorted(marks, key=lambda m: (KIND_PRIORITY.index(m.kind), m.start, m.end))
    for mark in ordered:
        rng = (mark.start, mark.end)
        if not 0 <= mark.start < mark.end <= len(text):
            dropped.append(mark)
        elif rng in accepted:
            accepted[rng].append(mark)
        elif any(_crosses(rng, other) for other in accepted):
            crossing.append(mark)
        else:
            accepted[rng] = [mark]
    for mark in crossing:
        cuts = sorted({b for rng in accepted for b in rng if mark.start < b < mark.end})
        bounds = [mark.start, *cuts, mark.end]
        anchor = mark.anchor
        for start, end in itertools.pairwise(bounds):
            if not text[start:end].strip():
                continue
            piece = Mark(start, end, mark.kind, anchor, mark.title)
            anchor = None
            accepted.setdefault((start, end), []).append(piece)
        dropped.append(mark)
    root = Node(0, len(text))
    stack = [root]
    for (start, end), group in sorted(accepted.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        while not (stack[-1].start <= start and end <= stack[-1].end):
            stack.pop()
        node = Node(start, end, marks=group)
        stack[-1].children.append(node)
        stack.append(node)
    _fill_text(root, text)
    return root.children, dropped


def _fill_text(node: Node, text: str) -> None:
    """Interleave text leaves between a node's span children, recursively."""
    pieces: list[Node] = []
    cursor = node.start
    for child in node.children:
        if child.start > cursor:
            pieces.append(Node(cursor, child.start, text=text[cursor : child.start]))
        _fill_text(child, text)
        pieces.append(child)
        cursor = child.end
    if cursor < node.end:
        pieces.append(Node(cursor, node.end, text=text[cursor : node.end]))
    node.children = pieces


def plain_text(nodes: list[Node]) -> str:
    """The text a node list renders to (leaves joined): equals the article text."""
    return "".join(n.text if n.text is not None else plain_text(n.children) for n in nodes)


@dataclass(frozen=True, slots=True)
class ArticleTree:
    """An article's highlight tree, the marks left out, and the ranges that have an element."""

    nodes: list[Node]
    dropped: list[Mark]
    ranges: frozenset[tuple[int, int]]


def article_tree(index: WebIndex, article_id: str) -> ArticleTree:
    """The (cached) highlight tree of one article in ``index``."""
    cached: ArticleTree | None = index.trees.get(article_id)
    if cached is None:
        article = index.articles[article_id]
        nodes, dropped = build_tree(article.text, article_marks(index, article_id))
        ranges: set[tuple[int, int]] = set()
        stack = list(nodes)
        while stack:
            node = stack.pop()
            if node.text is None:
                ranges.add((node.start, node.end))
                stack.extend(node.children)
        cached = ArticleTree(nodes, dropped, frozenset(ranges))
        index.trees[article_id] = cached
    return cached
