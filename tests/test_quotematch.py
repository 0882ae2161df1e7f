"""Cross-article quote matching: same statement linked, different statements kept apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dateline.corpus.quotematch import (
    VERSION,
    content_words,
    match_quotes,
    name_words,
    similarity,
)
from dateline.models import Quote


def _q(qid: str, article: str, text: str, speaker: str | None = None) -> Quote:
    return Quote(qid, article, 0, len(text), text, "direct", None, None, None, speaker=speaker)


A = "We reaffirmed our friendship with the people of Norland and support for their elected council."
A_TRANSLATED = (
    "We have confirmed our friendship with the Norland people. "
    "We confirmed our support for the elected council."
)
A_TRIMMED = "support for their elected council"
B = "The harbour will be reopened to fishing boats before the winter storms arrive."


def test_version():
    assert VERSION == "quotematch.v2"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (A, A, True),
        (A, A_TRANSLATED, True),
        (A, A_TRIMMED + ".", True),
        (A, B, False),
        (A_TRANSLATED, B, False),
    ],
)
def test_similarity_threshold(a, b, same):
    assert (similarity(a, b) >= 0.55) is same


def test_match_quotes_links_translations_symmetrically():
    quotes = [
        _q("x:q1", "x", A),
        _q("y:q1", "y", A_TRANSLATED),
        _q("y:q2", "y", B),
        _q("z:q1", "z", A_TRIMMED),
    ]
    speaker_of = {"x:q1": "E1", "y:q1": "E1", "y:q2": "E1", "z:q1": "E1"}
    dates = {"x": date(2020, 3, 1), "y": date(2020, 3, 2), "z": date(2020, 3, 2)}
    out = {q.id: q for q in match_quotes(quotes, speaker_of=speaker_of, article_dates=dates)}
    assert out["x:q1"].same_as == ("y:q1", "z:q1")
    assert out["y:q1"].same_as == ("x:q1", "z:q1")
    assert out["y:q2"].same_as == ()  # a different statement by the same speaker
    assert all(q.speaker == "E1" for q in out.values())


def test_match_quotes_requires_same_speaker_and_close_dates():
    quotes = [_q("x:q1", "x", A), _q("y:q1", "y", A), _q("z:q1", "z", A)]
    speaker_of = {"x:q1": "E1", "y:q1": "E2", "z:q1": "E1"}
    dates = {"x": date(2020, 3, 1), "y": date(2020, 3, 1), "z": date(2021, 3, 1)}
    out = match_quotes(quotes, speaker_of=speaker_of, article_dates=dates)
    assert [q.same_as for q in out] == [(), (), ()]


# One speaker, one story, two statements: they share the names every statement of the story
# holds ("Norland", "Solvanian") and nothing else.
NAMES_ONLY = (
    "Norland's support for the Solvanian people",
    "that Norland would sign a grain deal with the Solvanian government in Portvale next week",
)


def test_statements_sharing_only_names_are_not_linked():
    a, b = NAMES_ONLY
    assert similarity(a, b) >= 0.55  # the words alone would link them
    quotes = [_q("x:q1", "x", a, "E1"), _q("y:q1", "y", b, "E1")]
    dates = {"x": date(2020, 3, 1), "y": date(2020, 3, 2)}
    out = match_quotes(quotes, speaker_of={}, article_dates=dates)
    assert [q.same_as for q in out] == [(), ()]


def test_a_name_that_opens_both_statements_is_known_from_the_speakers_other_quotes():
    a = "Norland's support for the Solvanian people"
    b = "Norland would sign a grain deal with the Solvanian government in Portvale next week"
    other = "that the talks with Norland and its neighbours went well"
    assert similarity(a, b) >= 0.55
    quotes = [_q("x:q1", "x", a, "E1"), _q("y:q1", "y", b, "E1"), _q("z:q1", "z", other, "E1")]
    dates = {"x": date(2020, 3, 1), "y": date(2020, 3, 2), "z": date(2020, 3, 2)}
    out = match_quotes(quotes, speaker_of={}, article_dates=dates)
    assert [q.same_as for q in out] == [(), (), ()]


def test_name_words_are_the_capitalised_words_inside_a_sentence():
    assert name_words("Norland's support for the Solvanian people") == {"solvanian"}
    assert name_words("We met. Talks with Norland went well") == {"norland"}
    assert name_words("the talks went well") == frozenset()


def test_match_quotes_unknown_speakers_blocked_by_story():
    quotes = [_q("x:q1", "x", A), _q("y:q1", "y", A_TRANSLATED), _q("w:q1", "w", A)]
    out = match_quotes(
        quotes,
        speaker_of={},
        article_dates={},
        story_of={"x": "s1", "y": "s1", "w": "s2"},
    )
    assert out[0].same_as == ("y:q1",)
    assert out[2].same_as == ()


def test_match_quotes_uses_existing_speaker_when_not_mapped():
    quotes = [_q("x:q1", "x", A, speaker="E9"), _q("y:q1", "y", A, speaker="E9")]
    out = match_quotes(quotes, speaker_of={}, article_dates={})
    assert out[0].same_as == ("y:q1",)


def test_cli_select_and_render_quotes():
    from rich.console import Console

    from dateline.cli.quotes import render, select_quotes
    from dateline.models import Article, Entity, Result

    arts = (
        Article("x", "x", "t", "h", outlet="Wire One", published=date(2020, 3, 1)),
        Article("y", "y", "t", "h", outlet="Daily Two", published=date(2020, 3, 2)),
    )
    ents = (Entity("E1", "Anna Petrova", "PERSON", ("Petrova",), (), None, ("x", "y")),)
    qs = match_quotes(
        [_q("x:q1", "x", A, "E1"), _q("y:q1", "y", A_TRANSLATED, "E1"), _q("y:q2", "y", B)],
        speaker_of={},
        article_dates={"x": date(2020, 3, 1), "y": date(2020, 3, 2)},
    )
    result = Result(articles=arts, entities=ents, quotes=qs)
    chosen = select_quotes(result, speaker="petrova")
    assert [q.id for q in chosen] == ["x:q1", "y:q1"]
    assert [q.id for q in select_quotes(result, outlet="daily")] == ["y:q1", "y:q2"]
    console = Console(record=True, width=200)
    console.print(render(result, chosen))
    out = console.export_text()
    assert "Anna Petrova" in out
    assert "Daily Two" in out


def test_cli_finds_and_shows_a_joint_statement_by_each_of_its_speakers():
    from dataclasses import replace

    from rich.console import Console

    from dateline.cli.quotes import render, select_quotes
    from dateline.models import Article, Entity, Result

    arts = (Article("x", "x", "t", "h", outlet="Wire One"),)
    ents = (
        Entity("E1", "Anna Petrova", "PERSON", ("Petrova",), (), None, ("x",)),
        Entity("E2", "Tom Reyes", "PERSON", ("Reyes",), (), None, ("x",)),
    )
    joint = replace(_q("x:q1", "x", A, "E1"), co_speakers=("E2",))
    result = Result(articles=arts, entities=ents, quotes=(joint, _q("x:q2", "x", B, "E1")))
    assert [q.id for q in select_quotes(result, speaker="reyes")] == ["x:q1"]
    assert [q.id for q in select_quotes(result, speaker="petrova")] == ["x:q1", "x:q2"]
    console = Console(record=True, width=200)
    console.print(render(result, [joint]))
    assert "Anna Petrova (with Tom Reyes)" in console.export_text()


def test_cli_lists_statements_unless_asked_for_stances_and_acts():
    from dataclasses import replace

    from dateline.cli.quotes import select_quotes
    from dateline.models import Article, Result

    arts = (Article("x", "x", "t", "h", outlet="Wire One"),)
    qs = (
        _q("x:q1", "x", A),
        replace(_q("x:q2", "x", "a ban on new pipelines"), kind="indirect", cue_class="stance"),
        replace(_q("x:q3", "x", "eleven trade agreements"), kind="indirect", cue_class="action"),
    )
    result = Result(articles=arts, quotes=qs)
    assert [q.id for q in select_quotes(result, stances=False)] == ["x:q1"]
    assert [q.id for q in select_quotes(result)] == ["x:q1", "x:q2", "x:q3"]
    # one class, whatever --stances says
    assert [q.id for q in select_quotes(result, stances=False, cue_class="action")] == ["x:q3"]
    assert [q.id for q in select_quotes(result, cue_class="stance")] == ["x:q2"]


def test_cli_class_option_lists_one_class(monkeypatch):
    from dataclasses import replace

    from typer.testing import CliRunner

    from dateline.cli import app
    from dateline.cli import quotes as quotes_cli
    from dateline.models import Article, Result

    arts = (Article("x", "x", "t", "h", outlet="Wire One"),)
    qs = (
        _q("x:q1", "x", "the harbour will reopen in May"),
        replace(_q("x:q2", "x", "a ban on new pipelines"), kind="indirect", cue_class="stance"),
        replace(_q("x:q3", "x", "eleven trade agreements"), kind="indirect", cue_class="action"),
    )

    class Store:
        def load_result(self) -> Result:
            return Result(articles=arts, quotes=qs)

        def close(self) -> None:
            pass

    monkeypatch.setattr(quotes_cli, "open_existing", lambda db: Store())
    runner = CliRunner()
    out = runner.invoke(app, ["quotes", "--class", "action"], terminal_width=200)
    assert out.exit_code == 0, out.output
    assert "eleven" in out.output
    assert "harbour" not in out.output
    assert "pipelines" not in out.output
    default = runner.invoke(app, ["quotes"], terminal_width=200)
    assert "harbour" in default.output
    assert "eleven" not in default.output
    bad = runner.invoke(app, ["quotes", "--class", "claims"])
    assert bad.exit_code == 2


@pytest.mark.parametrize(
    "text", [A, A_TRANSLATED, A_TRIMMED, B, "", "Reopened, reopening: reopens."]
)
def test_content_words_memo_gives_the_same_words(text):
    stems: dict[str, str] = {}
    assert content_words(text, stems) == content_words(text)
    assert content_words(text, stems) == content_words(text)  # second call: from the memo
    assert {stems[w] for w in stems} == content_words(text)  # one memo entry per word


@pytest.mark.parametrize(
    ("speaker", "mapped", "copied"),
    [("E1", {}, False), (None, {"x:q1": None}, False), (None, {"x:q1": "E1"}, True)],
)
def test_match_quotes_copies_only_quotes_it_changes(speaker, mapped, copied):
    lone = _q("x:q1", "x", B, speaker=speaker)
    (out,) = match_quotes([lone], speaker_of=mapped, article_dates={})
    assert out == (lone if not copied else replace(lone, speaker="E1"))
    assert (out is lone) is not copied


def test_match_quotes_unblocked_quote_left_alone():
    quotes = [_q("x:q1", "x", A), _q("y:q1", "y", A)]  # no speaker, no story: never compared
    out = match_quotes(quotes, speaker_of={}, article_dates={})
    assert [q.same_as for q in out] == [(), ()]
    assert all(o is q for o, q in zip(out, quotes, strict=True))
