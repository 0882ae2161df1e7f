"""The shared spaCy pipeline: loaded once, with sentence starts at paragraph breaks."""

from __future__ import annotations

from dateline.nlp import PARAGRAPH_BREAKS, load_nlp


def test_pipeline_is_loaded_once_with_the_paragraph_component():
    nlp = load_nlp()
    assert load_nlp() is nlp
    names = nlp.pipe_names
    assert names.index(PARAGRAPH_BREAKS) < names.index("parser")


def test_blank_line_starts_a_sentence():
    # a caption without final punctuation must not become the next sentence's subject
    text = (
        "Media caption The leaders posed for a photo after a day of talks\n\n"
        "President Anna Petrova has promised a trade deal with the island."
    )
    doc = load_nlp()(text)
    starts = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert starts[-1] == "President Anna Petrova has promised a trade deal with the island."
    promised = next(t for t in doc if t.text == "promised")
    subjects = [c.text for c in promised.children if c.dep_ in {"nsubj", "nsubjpass"}]
    assert subjects == ["Petrova"]


def test_single_newline_is_left_to_the_parser():
    # plain text wrapped mid-sentence keeps one sentence
    text = "The council said on Monday that the old bridge\nwould be closed for repairs."
    doc = load_nlp()(text)
    assert len([s for s in doc.sents if s.text.strip()]) == 1
