"""Resolve a speaker phrase to an article-local entity key.

Names resolve through the entity mentions (or, where NER missed one, the article's own
spelling of a name elsewhere), titles through role mentions or role words ("the Russian FM"
-> the entity whose role is "Russian Foreign Minister"), third-person pronouns to the most
recent compatible speaker or subject before them ("they" to a nearer plural subject, if
any; "it" to a nearer thing, which is nobody; "the latter" to the second of the last two
parties named), phrases that count two ("the two counterparts") to the pair coordinated
before them, and statement nouns ("a statement from the ministry", "the statement added")
to the body that issued them. What cannot be resolved keeps its surface text and a ``None``
key: never guessed, and so "I", "you", "some" and the "it" of "It seems that …" are nobody.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from dateline.models import ArticleEntity, EntityMention
from dateline.stages.quotes_cues import quote_lexicon
from dateline.stages.quotes_marks import find_quoted_spans
from dateline.text import fold

_WORD = re.compile(r"[a-z0-9.]+")
_PERSONAL = {"PERSON"}
_GROUP = {"ORG", "GPE", "NORP"}


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved speaker: the phrase in the text and the entity it denotes (if known).

    ``others`` are the entities that speak with it in a coordination ("Lavrov and Rodriguez
    said", or "They" after one): ``key`` is the first name, as the output contract has one
    speaker per quote, and the rest are kept rather than lost.
    """

    start: int
    end: int
    text: str
    key: str | None
    others: tuple[str, ...] = ()


RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
_PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_ARGUMENT_DEPS = _SUBJECT_DEPS | {"dobj", "conj"}
_ORDINAL_REFERENCE = {"the former": 0, "the latter": 1}
_NOT_NAMES = frozenset({"AUX", "VERB", "ADV", "PRON", "DET", "ADP", "CCONJ", "SCONJ", "NUM"})
# "the two counterparts", "both countries", "both the ministers", "the pair": a plural noun
# phrase that counts its referents, and so names a coordination of two
_PAIR_PHRASE = re.compile(r"^(?:the two|both(?: the)?|the pair of)\s+\S", re.IGNORECASE)
_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")


def relative_clause(pronoun: Token) -> Token | None:
    """The verb of the relative clause ``pronoun`` opens, through a coordination: "Nelson, who
    voted for the bill and who insisted …" ('insisted' is a conjunct of 'voted')."""
    verb = pronoun.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb if verb.dep_ == "relcl" else None


def _expletive(it: Token) -> bool:
    """Whether "it" stands for no one: "It seems/appears that …", "It was reported that …",
    "It is clear that …", "It's difficult to guess why …" (the clause after the verb is
    the real subject). An adjective before a to-infinitive counts only if it is one that
    takes such a subject (``extraposition_adjectives``): in "it was ready to talk" the
    "it" is someone."""
    verb = it.head
    clauses = {"ccomp", "xcomp", "csubj"}
    if verb.lemma_ in {"seem", "appear"} or it.dep_ == "expl":
        return True
    if it.dep_ == "nsubjpass":
        return any(c.dep_ == "ccomp" for c in verb.children)
    # "It's" typeset with a curly apostrophe gets the mark itself as its lemma
    if verb.lemma_ != "be" and verb.lower_ not in {"'s", "\u2019s"}:
        return False
    complements = [c for c in verb.children if c.dep_ in {"acomp", "attr"}]
    for comp in complements:
        after = [c.dep_ for c in (*verb.children, *comp.children) if c.i > comp.i]
        if "ccomp" in after:
            return True
        if clauses & set(after) and comp.lemma_.lower() in _list("extraposition_adjectives"):
            return True
    return False


@cache
def _list(key: str) -> frozenset[str]:
    """A word list of the quote lexicon (read once: the resolver asks per token)."""
    value = quote_lexicon().get(key, [])
    return frozenset(str(v) for v in value) if isinstance(value, list) else frozenset()


def _abbrev() -> dict[str, str]:
    value = quote_lexicon().get("role_abbreviations", {})
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _norm_words(text: str) -> list[str]:
    abbrev = _abbrev()
    out: list[str] = []
    for w in _WORD.findall(fold(text)):
        out.extend(abbrev.get(w, w).split())
    return [w for w in out if w not in {"the", "a", "an", "'s", "s"}]


class SpeakerResolver:
    """Resolves speaker phrases of one article against its entities."""

    def __init__(self, text: str, doc: Doc, entities: Sequence[ArticleEntity]) -> None:
        self.text = text
        self.doc = doc
        self.entities = {e.key: e for e in entities}
        self.mentions: list[EntityMention] = sorted(
            (m for e in entities for m in e.mentions), key=lambda m: m.start
        )
        self.roles = [(r.start, r.end, r.key) for e in entities for r in e.role_mentions]
        self.spelled: dict[str, list[str]] = {}  # each name and alias -> the entities with it
        for e in entities:
            for name in dict.fromkeys((e.name, *e.aliases)):
                self.spelled.setdefault(name, []).append(e.key)
        self.statement_nouns = _list("statement_nouns")
        # Names inside quotation marks are what was said, not who is speaking: never the
        # antecedent of the cue's pronoun ('"Veloria will not forget," she said').
        spans, _warnings = find_quoted_spans(text)
        self.quoted = [(q.start, q.end) for q in spans]
        self.history: list[tuple[int, str, str]] = []  # (offset, key, type) of speakers seen

    def _type(self, key: str) -> str:
        ent = self.entities.get(key)
        return ent.type if ent is not None else ""

    def remember(self, offset: int, key: str | None) -> None:
        """Record a resolved speaker so later pronouns and statement nouns can find it."""
        if key is not None:
            self.history.append((offset, key, self._type(key)))

    def _at(self, start: int, end: int) -> str | None:
        """Entity key of a mention over the characters ``[start, end)`` (a phrase's head)."""
        for m in self.mentions:
            if m.start < end and m.end > start and m.label != "DATE":
                return m.key
        return None

    def _key_in(self, start: int, end: int, head_start: int, head_end: int) -> str | None:
        """Entity key of a mention at the phrase head, else any role/name inside the phrase."""
        return self._at(head_start, head_end) or self._inside(start, end, head_start)

    def _inside(self, start: int, end: int, head_start: int) -> str | None:
        """Entity key of a role over the phrase, else of the name inside it nearest its head."""
        best: tuple[int, str] | None = None
        for m in self.mentions:
            if m.start >= start and m.end <= end and m.label in {"PERSON", "ORG"}:
                score = -(head_start - m.end)
                if best is None or score > best[0]:
                    best = (score, m.key)
        for r_start, r_end, key in self.roles:
            if r_start < end and r_end > start:
                return key
        return best[1] if best is not None and best[0] >= -2 else None

    def _by_role(self, phrase: str, before: int) -> str | None:
        """Match a title phrase ("the Russian FM") against the entities' roles."""
        words = set(_norm_words(phrase))
        if not words:
            return None
        hits: list[str] = []
        for key, ent in self.entities.items():
            for role in ent.roles:
                rw = set(_norm_words(role))
                if rw and (words <= rw or rw <= words) and len(words & rw) >= 1:
                    hits.append(key)
                    break
        if len(hits) == 1:
            return hits[0]
        return None

    def _antecedent(
        self, offset: int, types: set[str], plural: bool = False
    ) -> tuple[str | None, tuple[str, ...]]:
        """Most recent compatible speaker or subject mention before ``offset``, and the
        parties coordinated with it (a plural pronoun's "Lavrov and Rodriguez").

        A subject mention ("Lavrov said … He added") and an earlier speaker both qualify;
        the most recent one wins. Without either, a person's pronoun takes the most recent
        person named; "it" and "they" take nobody (the last place or body merely mentioned
        was most often wrong: "young voters in Nevada … they agree"). A plural pronoun takes
        a nearer plural subject first (``_plural_subject``), "it" a nearer thing
        (``_thing_subject``).
        """
        best = self._last_speaker(offset, types)
        for m in reversed(self.mentions):
            if m.end > offset or (best is not None and m.start <= best[0]):
                continue
            if any(q_start <= m.start and m.end <= q_end for q_start, q_end in self.quoted):
                continue
            # The entity's type wins over one mention's NER label (a place NER took for a name).
            if self._type(m.key) in types and self._in_role(m.start, m.end, _SUBJECT_DEPS):
                best = (m.start, m.key)
                break
        if plural:
            group = self._plural_subject(offset)
            # at the same place as the last speaker it is that speaker's phrase, with its list
            if group is not None and (
                best is None or group[0] >= best[0] or self._inside_plural(group[0], best[0])
            ):
                return group[1], group[2]
        elif types == _GROUP:  # "it", "its"
            thing = self._thing_subject(offset)
            if thing is not None and (best is None or thing > best[0]):
                return None, ()
        if best is not None:
            return best[1], ()
        last = self._last_mention(offset, types) if types == _PERSONAL else None
        return (last[1] if last else None), ()

    def _inside_plural(self, group: int, name: int) -> bool:
        """Whether the name starting at ``name`` is a singular noun phrase ("Russia", "the
        company") in the sentence of the plural subject at ``group``, after it: a clause
        inside that subject's sentence, so that "they" still stands for the subject
        ("Intelligence officials charged that Russia had interfered. … they said"). A
        body that is a sentence's own subject after the plural one keeps "they" ("…
        marched. The Harbour Authority opened the talks. They said")."""
        first, tok = self._token_at(group), self._token_at(name)
        if first is None or tok is None or first.sent.start != tok.sent.start:
            return False
        while tok.head.i > tok.i and tok.dep_ not in _SUBJECT_DEPS:
            tok = tok.head  # "the Russian foreign ministry": up to "ministry"
        return tok.tag_ in {"NN", "NNP"}

    def _owner(self, pronoun: Token, types: set[str]) -> str | None:
        """Who "his" or "its" before a nominal cue is ("Mr Trump repeated his pledge",
        "Trump's behavior … part of his fear of …"): the nearest subject or owner of a
        compatible kind earlier in the same sentence, outside quotation marks (not an
        object: "Christie, who risked … to knock Rubio down, … linking his position" is
        Christie's). The usual search (speakers, then subjects) is for pronouns that open a
        clause; a possessive most often points back into its own sentence."""
        lo = pronoun.sent.start_char
        for m in reversed(self.mentions):
            if m.end > pronoun.idx or m.start < lo:
                continue
            if self._in_quotation(m.start) or self._type(m.key) not in types:
                continue
            if self._in_role(m.start, m.end, _SUBJECT_DEPS | {"poss"}):
                return m.key
        return None

    def _thing_subject(self, offset: int) -> int | None:
        """Where the nearest subject before "it" starts, in its sentence or the one before,
        when that subject is a thing the article names no entity for ("A draft resolution
        … names no one, but it condemns …", "The plan … It outlined …"): "it" is that thing,
        not a body named further back. People are passed over ("it" is none of them); a
        subject that is a name, or a speaker already resolved ("The ministry said … It
        added"), is left to the usual search."""
        window = self._sentences_before(offset, 1)
        if window is None:
            return None
        remembered = {pos for pos, _key, _typ in self.history}
        for tok in reversed(window):
            if tok.dep_ not in _SUBJECT_DEPS or self._in_quotation(tok.idx):
                continue
            if tok.pos_ == "PRON":
                if tok.lower_ in _list("person_pronouns"):
                    continue
                return None
            key = self._at(tok.idx, tok.idx + len(tok.text))
            if self._type(key or "") in _PERSONAL or tok.ent_type_ == "PERSON":
                continue
            start = tok.left_edge.idx
            if key is not None or tok.pos_ != "NOUN" or start in remembered:
                return None
            if tok.tag_ in {"NNS", "NNPS"}:
                continue  # "they", not "it"
            return start
        return None

    def _plural_subject(self, offset: int) -> tuple[int, str | None, tuple[str, ...]] | None:
        """The nearest plural subject in the pronoun's sentence or the two before it: where
        it is, and who it names with the parties coordinated with them. A coordination
        ("Lavrov and Rodriguez will discuss … They will also") is its first name with the
        rest (``_conjunct_keys``), as the same words as a speaker would be ("Mexico and
        Uruguay said"); a pair phrase ("The two counterparts … They") the pair it counts
        (``_pair``); a plural noun without a name ("The protesters …") is nobody the article
        names, never a group mentioned further back."""
        window = self._sentences_before(offset, 2)
        if window is None:
            return None
        for tok in reversed(window):
            if tok.dep_ not in _SUBJECT_DEPS or tok.pos_ == "PRON":
                continue
            if self._in_quotation(tok.idx):
                continue
            key = self._at(tok.idx, tok.idx + len(tok.text))
            # a name ending in -s may be tagged plural ("Sanders", "Rosas"): a person is one
            plural = tok.tag_ in {"NNS", "NNPS"} and self._type(key or "") != "PERSON"
            if any(c.dep_ == "conj" for c in tok.children):
                return tok.idx, key, self._conjunct_keys(tok, key)
            if plural:
                phrase = self.text[tok.left_edge.idx : tok.idx + len(tok.text)]
                pair = self._pair(tok, tok.left_edge.idx) if _PAIR_PHRASE.match(phrase) else None
                if pair is not None:
                    return tok.left_edge.idx, pair[0], pair[1:]
                return tok.idx, key, self._conjunct_keys(tok, key)
        return None

    def _conjunct_keys(self, head: Token, key: str | None) -> tuple[str, ...]:
        """The persons and bodies coordinated with ``head`` ("Lavrov and his counterpart
        Delcy Rodriguez", "Russia, China and Cuba"), other than ``key``, in text order.

        Each conjunct is read as a speaker phrase is (``_named``); one that names nobody
        the article knows ("Lavrov and reporters") adds nothing. Only a list joined by a
        conjunction, after ``head``: the parser also chains a name before a comma to the
        speaker ("In a meeting with Netanyahu, U.N. chief Ban Ki-moon condemned …"), which
        is no list. A conjunct that goes on from inside the speaker's description, with no
        comma between, is part of the description ("Carl Forti, an adviser to the Crossroads
        groups and Restore Our Future, said": Forti alone)."""
        if key is None:
            return ()
        conjuncts = sorted((t for t in head.conjuncts if t.i > head.i), key=lambda t: t.i)
        if not any(c.dep_ == "cc" for t in (head, *conjuncts) for c in t.children):
            return ()
        described = [
            (c.left_edge.i, c.right_edge.i)
            for c in head.children
            if c.dep_ == "appos" and c.i > head.i
        ]
        found: list[str] = []
        for conj in conjuncts:
            before = conj.left_edge.i - 1
            if before > 0 and head.doc[before].dep_ == "cc":
                before -= 1
            in_description = any(lo <= before <= hi for lo, hi in described)
            if in_description and not head.doc[before].is_punct:
                continue
            other = self._named(conj, conj.left_edge.idx, conj.idx + len(conj.text))
            if other is None or other == key or other in found:
                continue
            if self._type(other) in _PERSONAL | _GROUP:
                found.append(other)
        return tuple(found)

    def _sentences_before(self, offset: int, back: int) -> Span | None:
        """The tokens from the start of the sentence ``back`` sentences before the one at
        ``offset`` up to the token at ``offset``: where a pronoun's antecedent may be."""
        at = self._token_at(offset)
        if at is None:
            return None
        first = at.sent.start
        for _ in range(back):
            if first == 0:
                break
            first = self.doc[first - 1].sent.start
        return self.doc[first : at.i]

    def _token_at(self, offset: int) -> Token | None:
        """The token at the character ``offset``."""
        at = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
        return at[0] if at is not None else None

    def _in_quotation(self, pos: int) -> bool:
        """Whether the character at ``pos`` lies inside quotation marks (what was said)."""
        return any(q_start <= pos < q_end for q_start, q_end in self.quoted)

    def _last_speaker(self, offset: int, types: set[str]) -> tuple[int, str] | None:
        """The resolved speaker of a compatible type nearest before ``offset`` in the text.

        By position, not by the order speakers were resolved in: quotes are not resolved
        in text order (a direct quote's speaker may be remembered after a later one's).
        """
        found = [(pos, key) for pos, key, typ in self.history if pos < offset and typ in types]
        return max(found) if found else None

    def _in_role(self, start: int, end: int, deps: frozenset[str]) -> bool:
        """Whether the phrase over ``[start, end)`` plays one of the roles ``deps``."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span is not None and span.root.dep_ in deps

    def _last_mention(self, offset: int, types: set[str]) -> tuple[int, str] | None:
        for m in reversed(self.mentions):
            if m.end <= offset and self._type(m.key) in types:
                return m.start, m.key
            if m.end <= offset and m.label == "ROLE" and self._type(m.key) in types:
                return m.start, m.key
        return None

    def resolve(self, tok_start: int, tok_end: int) -> Speaker | None:
        """Resolve the speaker phrase covering doc tokens [tok_start, tok_end)."""
        doc = self.doc
        if tok_end <= tok_start:
            return None
        span = doc[tok_start:tok_end]
        head = span.root
        start, end = span.start_char, span.end_char
        text = self.text[start:end]
        low = head.lower_
        if low in RELATIVE_PRONOUNS:
            # "Núñez, who declared herself …": the noun the clause hangs on, never a guess
            clause = relative_clause(head)
            if clause is not None:
                noun = clause.head
            elif head.i >= 2 and doc[head.i - 1].text == "," and doc[head.i - 2].pos_ == "PROPN":
                noun = doc[head.i - 2]  # "Unlike Mr. Obama, who said …", the clause misparsed
            else:
                return Speaker(start, end, text, None)
            s, e = noun.left_edge.idx, noun.idx + len(noun.text)
            key = (
                self._key_in(s, e, noun.idx, e)
                or self._apposed(noun)  # "the mayor's son, Tom Reyes, who said …"
                or self._by_role(self.text[s:e], s)
                or self._spelled_as(noun, s, e)
            )
            if noun.dep_ == "appos" and self._type(key or "") != "PERSON":
                # "Reyes, the candidate who said …", "Nelson, a Democrat who …": who the
                # description stands beside ("the president's son, Donald Trump Jr., who"
                # hangs on the person's name itself)
                named = noun.head
                s, e = named.left_edge.idx, named.idx + len(named.text)
                key = self._key_in(s, e, named.idx, e) or key
            return Speaker(start, end, text, key)
        if low == "both" and len(span) == 1:  # "Both pleaded guilty" after "X and Y"
            pair = self._pair(head, start)
            if pair is None:
                return Speaker(start, end, text, None)
            return Speaker(start, end, text, pair[0], pair[1:])
        if head.pos_ == "PRON" or low in _list("person_pronouns") | _list("group_pronouns"):
            # a third-person pronoun stands for someone named before; any other ("I", "you",
            # "some", "anyone", "this") for no one the article names: never a guess
            person = low in _list("person_pronouns")
            if not (person or low in _list("group_pronouns")) or (low == "it" and _expletive(head)):
                return Speaker(start, end, text, None)
            types = _PERSONAL if person else _GROUP
            if head.dep_ == "poss" and low not in _PLURAL:
                owner = self._owner(head, types)
                if owner is not None:
                    return Speaker(start, end, text, owner)
            key, others = self._antecedent(start, types, low in _PLURAL)
            return Speaker(start, end, text, key, others)
        which = _ORDINAL_REFERENCE.get(" ".join(text.lower().split()))
        if which is not None:  # "the former", "the latter"
            return Speaker(start, end, text, self._one_of_two(start, which))
        if _PAIR_PHRASE.match(text) and head.tag_ in {"NNS", "NNPS"}:
            pair = self._pair(head, start)
            if pair is not None:
                return Speaker(start, end, text, pair[0], pair[1:])
        key = self._named(head, start, end)
        if key is None and head.lemma_.lower() in self.statement_nouns:
            key = self._statement_source(head, start)
        if key is None and head.pos_ in {"NOUN", "PROPN"}:
            key = self._by_role(text, start)
        if key is None and head.pos_ == "NOUN" and span[0].lower_ in {"the", "this"}:
            key = self._definite(head.lemma_.lower(), start)
        return Speaker(start, end, text, key, self._conjunct_keys(head, key))

    def _named(self, head: Token, start: int, end: int) -> str | None:
        """Who a noun phrase ``[start, end)`` with ``head`` names: a mention at its head, a
        name set beside the head (``_apposed``), else a role or name inside the phrase. A
        speaker phrase and each name coordinated with it are read so."""
        return (
            self._at(head.idx, head.idx + len(head.text))
            or self._apposed(head)
            or self._inside(start, end, head.idx)
            or self._spelled_as(head, start, end)
        )

    def _spelled_as(self, head: Token, start: int, end: int) -> str | None:
        """A name NER left out at this place, spelled as the article names someone elsewhere:
        "Sessions continued:" after "Jeff Sessions" (the small model reads a name at the
        start of a sentence as a plural noun, and tags no entity there).

        The whole phrase ("Facebook", "The Chronicle") may be any entity's name or alias;
        its head word alone only a person's ("the Week's Damon Linker" -> Linker), and not
        after another determiner ("Another Law" is no Mr Law), as a capitalised word inside
        a phrase is often part of some other name ("Medicare for All"). Capitalised words
        only; a spelling two entities share goes to the one person among them, else to
        nobody. A word the parser reads as a verb or adverb ("May did promise") is no name.
        """
        if head.pos_ in _NOT_NAMES:
            return None
        phrase = _LEADING_ARTICLE.sub("", self.text[start:end])
        if phrase[:1].isupper():
            keys = self.spelled.get(phrase, [])
            persons = [k for k in keys if self._type(k) in _PERSONAL]
            if len(keys) == 1 or len(persons) == 1:
                return keys[0] if len(keys) == 1 else persons[0]
        if not head.text[:1].isupper() or any(
            c.dep_ == "det" and c.lower_ != "the" for c in head.children
        ):
            return None
        persons = [k for k in self.spelled.get(head.text, []) if self._type(k) in _PERSONAL]
        return persons[0] if len(persons) == 1 else None

    def _pair(self, head: Token, offset: int) -> tuple[str, str] | None:
        """'The two counterparts are set to discuss …' after 'Lavrov and … Arreaza are
        meeting': the nearest two parties coordinated in this sentence or the two before,
        outside quotation marks, both people or both countries and bodies, and of the kind
        the noun names when it names one ("the two ministers", "both countries"). Nobody
        when no such pair is near: never a guess among the names further back."""
        window = self._sentences_before(offset, 2)
        if window is None:
            return None
        noun = head.lower_
        kinds = (
            _PERSONAL
            if noun in _list("pair_person_nouns")
            else _GROUP
            if noun in _list("pair_group_nouns")
            else _PERSONAL | _GROUP
        )
        for tok in reversed(window):
            later = [t for t in tok.conjuncts if t.i > tok.i]
            if tok.dep_ == "conj" or len(later) != 1 or self._in_quotation(tok.idx):
                continue
            other = later[0]
            first = self._named(tok, tok.left_edge.idx, tok.idx + len(tok.text))
            second = self._named(other, other.left_edge.idx, other.idx + len(other.text))
            if first is None or second is None or first == second:
                continue
            types = {self._type(first), self._type(second)}
            if types <= kinds and (types <= _PERSONAL or types <= _GROUP):
                return first, second
        return None

    def _one_of_two(self, offset: int, which: int) -> str | None:
        """'the former' (0) or 'the latter' (1): one of the last two entities named as a
        subject, object or conjunct in this sentence or the one before ("Moscow has accused
        Washington of …, while the latter criticised …" -> Washington). Names in other
        roles ("Venezuela's affairs") are not what the phrase picks between."""
        window = self._sentences_before(offset, 1)
        if window is None:
            return None
        lo = window.start_char
        keys: list[str] = []
        for m in self.mentions:
            if not lo <= m.start < offset or self._type(m.key) not in _PERSONAL | _GROUP:
                continue
            if self._in_quotation(m.start):
                continue
            if not self._in_role(m.start, m.end, _ARGUMENT_DEPS):
                continue
            if keys and keys[-1] == m.key:
                continue
            keys.append(m.key)
        return keys[-2:][which] if len(keys) >= 2 else None

    def _apposed(self, head: Token) -> str | None:
        """'The Minister of the Interior, Luis Ortega, said': a name set beside a title the
        phrase ends before is who the phrase is, before any name inside it (the Interior,
        read as an organisation). Only a name at the appositive's head: "Núñez, the head of
        the National Assembly" is not the Assembly."""
        for child in head.children:
            if child.dep_ == "appos" and child.i > head.i:
                return self._at(child.idx, child.idx + len(child.text))
        return None

    def _statement_source(self, head: Token, start: int) -> str | None:
        """'a statement from X' / 'X's statement' / 'the statement' -> the issuing body."""
        for child in head.children:
            if child.dep_ == "poss":
                return self._key_in(
                    child.idx, child.idx + len(child.text), child.idx, child.idx + len(child.text)
                )
            if child.dep_ == "prep" and child.lower_ in {"from", "of", "by"}:
                for g in child.children:
                    if g.dep_ == "pobj":
                        s, e = g.left_edge.idx, g.idx + len(g.text)
                        return self._key_in(s, e, g.idx, e) or self._by_role(self.text[s:e], s)
        if head.i > 0 and head.doc[head.i - 1].lower_ in {"the", "this"}:  # "the statement added"
            last = self._last_speaker(start, {"ORG"})
            return last[1] if last is not None else None
        return None

    def _definite(self, noun: str, start: int) -> str | None:
        """'the ministry' -> the most recent ORG whose name contains that noun."""
        for m in reversed(self.mentions):
            if m.end <= start and m.label in _GROUP and noun in fold(m.text).split():
                return m.key
        return None
