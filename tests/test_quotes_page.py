"""Quotes around page furniture, and what is no statement.

News text pasted from web pages keeps their furniture ("Image copyright X Image caption",
"(emphasis added)", "Blog name: “…”", link lists in title case); none of it is a statement
or a speaker, and a quotation never takes a cue from a paragraph it does not follow. What
someone saw ("was seen walking"), a bare pronoun ("agree that") and "declined to comment" are
not statements either.
"""

from __future__ import annotations

import pytest

from dateline.models import Article
from dateline.nlp import load_nlp
from dateline.stages.quotes import extract_quotes
from dateline.stages.quotes_trim import caption_label_end

# each test with the rules alone and with the attribution tagger (conftest.quote_mode)
pytestmark = pytest.mark.usefixtures("quote_mode")


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _quotes(nlp, text: str):
    art = Article(id="t", source="t", text=text, content_hash="x")
    return extract_quotes(art, nlp(text), entities=())


def _by_text(quotes, words: str):
    found = [q for q in quotes if words in q.text]
    assert found, f"no quote with {words!r} in {[q.text for q in quotes]}"
    return found[0]


def test_caption_labels_are_neither_content_nor_speaker(nlp):
    text = (
        'Image copyright Lumen Press Image caption Mayor Ortega is a "bad neighbour", '
        "says the river council\n\n"
        "Image copyright Lumen Press Image caption Mayor Ortega said the bridge would open"
    )
    quotes = _quotes(nlp, text)
    council = _by_text(quotes, "bad neighbour")
    assert council.speaker_text == "the river council"
    assert council.text.startswith("Mayor Ortega is")
    bridge = _by_text(quotes, "would open")
    assert bridge.speaker_text == "Mayor Ortega"
    assert not any("Image" in (q.speaker_text or "") + q.text for q in quotes)


def test_caption_label_end_only_at_a_paragraph_opening():
    text = "Image copyright X Image caption The mayor spoke\nHe said the image caption was wrong."
    assert caption_label_end(text, 40) == text.index("The mayor")
    assert caption_label_end(text, len(text) - 3) == 0  # prose mentioning a caption


@pytest.mark.parametrize("note", ["(emphasis added)", "(italics mine)", "(emphasis in original)"])
def test_editorial_note_is_no_statement(nlp, note):
    text = f"The council wrote that the river was “never a threat to anyone” {note}."
    quotes = _quotes(nlp, text)
    assert [q.speaker_text for q in quotes] == ["The council"]


def test_colon_label_names_the_speaker_of_a_quotation(nlp):
    text = (
        "The mayor believes that delays -- avoiding fights, slamming critics -- keep the peace.\n\n"
        "Harbor Blog: “The Blame For This Failure Rests With The Mayor.” "
        "The blog also brushed aside his plan: “Now he wants to fight floods with slogans.”"
    )
    quotes = _quotes(nlp, text)
    blame = _by_text(quotes, "The Blame")
    assert (blame.speaker_text, blame.cue) == ("Harbor Blog", ":")
    floods = _by_text(quotes, "fight floods")
    assert (floods.speaker_text, floods.cue) == ("The blog", ":")


def test_quotation_after_a_colon_paragraph_takes_that_paragraph_cue(nlp):
    text = (
        "The minister spoke to reporters for an hour. Critics walked out.\n\n"
        "Then the minister said:\n\n“We will not give up the dam.”"
    )
    dam = _by_text(_quotes(nlp, text), "give up the dam")
    assert (dam.speaker_text, dam.cue) == ("the minister", "said")


def test_quotation_never_takes_a_cue_two_paragraphs_back(nlp):
    text = (
        "Ortega said the dam was safe.\n\n"
        "A long paragraph about the weather follows here, with no one speaking at all.\n\n"
        "The council minutes:\n\n“The dam will be inspected in May by the engineers.”"
    )
    dam = _by_text(_quotes(nlp, text), "inspected in May")
    assert dam.speaker_text != "Ortega"


def test_title_case_link_lines_are_no_statements(nlp):
    text = (
        "Mayor Ortega Says The Dam Will Hold\n\n"
        "The mayor said on Monday that the dam would hold through the spring floods.\n\n"
        "Related Stories\n"
        "Council Member Saying We Need Fewer Bridges Draws Fire From Farmers\n"
    )
    quotes = _quotes(nlp, text)
    assert any("the dam would hold through" in q.text for q in quotes)
    assert not any("Fewer Bridges" in q.text for q in quotes)
    # the article's own headline (its first line) is kept when it reports a statement
    assert any(q.cue == "Says" for q in quotes)


def test_title_case_line_needs_four_capitalised_words():
    from dateline.stages.quotes_trim import title_case_line

    text = "First line\nCouncil Member Saying We Need Fewer Bridges\nThe mayor Said no to it"
    assert title_case_line(text, text.index("Saying"))
    assert not title_case_line(text, text.index("Said"))
    assert not title_case_line(text, 2)  # the text's own headline


def test_what_someone_saw_is_no_statement(nlp):
    text = (
        "Ortega was seen walking down a street near the dam. "
        "The county has seen a flood of donations after the storm. "
        "Many residents see the mayor as a threat. "
        "Critics see why the council is worried."
    )
    quotes = _quotes(nlp, text)
    assert sorted(q.text for q in quotes) == [
        "the mayor as a threat",
        "why the council is worried",
    ]


def test_a_pronoun_alone_is_no_content(nlp):
    quotes = _quotes(nlp, "Most Republicans agree that. The mayor said the dam would hold.")
    assert [q.text for q in quotes] == ["the dam would hold"]


@pytest.mark.parametrize(
    "sentence",
    [
        "A lawyer for the mayor did not respond to a request for comment.",
        "The council did not respond to repeated requests for comment on Tuesday.",
        "A spokesman declined to comment.",
        "The ministry did not immediately return messages seeking comment.",
        "She asked not to be named.",
        "The council declined to say whether the bridge would reopen.",
        "The ministry refused to confirm the report.",
    ],
)
def test_no_comment_is_no_statement(nlp, sentence):
    text = f"The mayor said the dam would hold. {sentence}"
    assert [q.text for q in _quotes(nlp, text)] == ["the dam would hold"]


def test_anonymity_is_no_statement_but_what_follows_is(nlp):
    text = "An official, who requested anonymity to discuss the talks, said the deal was close."
    quotes = _quotes(nlp, text)
    assert [(q.speaker_text, q.text) for q in quotes] == [("An official", "the deal was close")]


def test_links_to_other_stories_are_no_statements(nlp):
    text = (
        "The ministry said the ship had not docked in May.\n\n"
        "Related Coverage China says reports of ships selling oil do not accord with facts\n\n"
        "READ MORE: Ortega says the dam will hold\n\n"
        "Related Coverage\nThe council says the bridge will reopen in June\n\n"
        "Related stories are below, the editor said on Monday."
    )
    quotes = _quotes(nlp, text)
    assert sorted(q.text for q in quotes) == [
        "Related stories are below",
        "the ship had not docked in May",
    ]


@pytest.mark.parametrize(
    ("content", "empty"),
    [
        ("to comment on the plan", True),
        ("comment", True),
        ("not to be named", True),
        ("repeated requests for comment on Tuesday", True),
        ("comment was welcome at the hearing", False),
        ("to be named the new coach", False),
        ("anonymous sources knew of the plan", False),
    ],
)
def test_no_statement_words(content, empty):
    from dateline.stages.quotes_trim import no_statement

    assert no_statement(content) is empty


def test_interview_turn_labels_name_nobody(nlp):
    text = (
        "Q: What is the national debt, and why does it matter so much now?\n\n"
        "In short, it is what the government owes.\n\n"
        "ORTEGA: We will rebuild the dam by May, and the council agrees with us."
    )
    quotes = _quotes(nlp, text)
    assert not any(q.speaker_text in {"Q", "A"} for q in quotes)
    assert not any("national debt" in q.text for q in quotes)


def test_a_colon_after_an_ordinary_clause_is_no_statement(nlp):
    text = (
        "Generally, rising debt can cause economic strain: a bigger portion of spending "
        "has to be set aside for interest payments."
    )
    assert _quotes(nlp, text) == ()
