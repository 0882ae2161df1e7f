"""Named-entity mentions from spaCy NER, cleaned so their spans are names and nothing else.

Trims possessives ("Guaido's"), leading articles ("the United States"), leading verbs NER
swallowed ("Follow Sputnik"), courtesy titles and role words inside a PERSON span
("President Trump" -> "Trump"), and relabels names the lexicon knows as organisations.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from dateline.stages.entity_lexicon import honorifics, norm_key, org_info, role_words
from dateline.stages.roles import role_before

# NER labels this stage keeps; DATE/TIME/MONEY/CARDINAL/... belong to other stages.
KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"})
_LEADING_DROP = frozenset({"the", "a", "an"})
_TRAILING_DROP = frozenset({"'s", "'", "s"})


@dataclass(slots=True)
class RawMention:
    """A cleaned NER span: token range, char range, label and folded name tokens."""

    start_token: int
    end_token: int
    start: int
    end: int
    text: str
    label: str
    tokens: tuple[str, ...]
    title_tokens: tuple[int, int] | None = None  # token range of a title stripped off


def name_tokens(text: str) -> tuple[str, ...]:
    """Folded name tokens used for matching ("Guaidó's" -> ("guaido",))."""
    key = norm_key(text).replace("'s ", " ")
    if key.endswith("'s"):
        key = key[:-2]
    words = [w.strip(".,;:'\"()") for w in key.split()]
    return tuple(w for w in words if w)


GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


def generation(tokens: tuple[str, ...]) -> str:
    """A name's generational suffix ("Donald Trump Jr." -> "jr"), else "". A father and a son
    share every name but this one, so names with different suffixes are different people."""
    return tokens[-1] if len(tokens) >= 2 and tokens[-1] in GENERATIONS else ""


def _name_after_title(doc: Doc, s: int, e: int) -> int | None:
    """Where the person's name starts in a non-person span that opens with a title's end.

    NER reads "Norland's Secretary of State Harlan Pryce" as the organisation "State Harlan
    Pryce": a title that began before the span ("Secretary of State") ends inside it, and
    only proper names follow. Those names are a person, titled as the role says. A known
    organisation stays one ("the UN General Assembly"), and a single word must be the
    surname of a person NER found elsewhere in the text ("the president of General
    Motors" is no Mr Motors).
    """
    if org_info(doc[s:e].text) is not None:
        return None
    for k in range(s + 1, min(s + 3, e)):
        rest = doc[k:e]
        if not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in rest):
            continue
        if len(rest) == 1 and not any(
            ent.label_ == "PERSON" and ent[-1].text == rest[0].text for ent in doc.ents
        ):
            continue
        head_end = doc[k - 1].idx + len(doc[k - 1].text)
        if any(r.start < doc[s].idx and r.end >= head_end for r in role_before(doc, k)):
            return k
    return None


def _clean(span: Span, label: str) -> RawMention | None:
    doc = span.doc
    s, e = span.start, span.end
    while e > s and (norm_key(doc[e - 1].text) in _TRAILING_DROP or doc[e - 1].is_punct):
        if doc[e - 1].text == "." and e - 1 > s and len(doc[e - 2].text) <= 2:
            break  # keep the dot of "U.S." / "Jr."
        e -= 1
    while s < e and (norm_key(doc[s].text) in _LEADING_DROP or doc[s].is_punct):
        s += 1
    if label != "PERSON":
        named = _name_after_title(doc, s, e)
        if named is not None:
            s, label = named, "PERSON"
    if label == "PERSON":
        # NER sometimes swallows an imperative or a verb ("Follow Sputnik")
        while s < e - 1 and doc[s].pos_ in {"VERB", "AUX"} and doc[s].tag_ in {"VB", "VBZ", "VBD"}:
            s += 1
    if label == "PERSON":
        # "Follow Sputnik": a known organisation at the end of a PERSON span is that org
        for k in range(s, e):
            if org_info(doc[k:e].text) is not None:
                s, label = k, "ORG"
                break
    title: tuple[int, int] | None = None
    if label == "PERSON":
        t0 = s
        while s < e - 1 and (
            norm_key(doc[s].text) in honorifics() or norm_key(doc[s].text) in role_words()
        ):
            s += 1
        if s > t0:
            title = (t0, s)
    if s >= e:
        return None
    start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
    text = doc[s:e].text  # Span.text: doc.text would rebuild the whole text each call
    toks = name_tokens(text)
    if not toks or not any(c.isalpha() for c in text) or text[:1].islower():
        return None
    if label == "PERSON" and all(t in role_words() or t in honorifics() for t in toks):
        return None  # "President" alone is a title, not a name
    if label == "PERSON":
        info = org_info(text)
        if info is not None:
            label = "ORG"
    return RawMention(s, e, start, end, text, label, toks, title)


def raw_mentions(doc: Doc) -> list[RawMention]:
    """Cleaned NER mentions of the kept labels, in text order."""
    out: list[RawMention] = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        mention = _clean(ent, ent.label_)
        if mention is not None:
            out.append(mention)
    return out
