"""The JSON API and the HTML pages, in-process over a hand-made database."""

from __future__ import annotations

import html
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest_web import XSS_SCRIPT, write_db
from fastapi.testclient import TestClient

from dateline.api import create_app
from dateline.cli.serve import is_loopback
from dateline.models import ArticleAnalysis
from dateline.web.highlight import Mark, build_tree, plain_text

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_db(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="module")
def client(db_file: Path) -> TestClient:
    with TestClient(create_app(str(db_file))) as c:
        yield c


def get_json(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.text)
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


# -- list endpoints, filters, pagination -------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected_ids"),
    [
        ("/api/articles", ["wire/a1", "gazette-a2", "x3"]),
        ("/api/articles?outlet=daily%20gazette", ["gazette-a2", "x3"]),
        ("/api/articles?story=story-1&q=harbour", ["wire/a1"]),
        ("/api/articles?story=nope", []),
        ("/api/entities?name=osk", ["ent-osk"]),
        ("/api/entities?type=org", ["ent-xss"]),
        ("/api/quotes?speaker=Lena", ["wire/a1:q1", "gazette-a2:q1"]),
        ("/api/quotes?speaker=ent-osk&outlet=Harbour%20Wire", ["wire/a1:q1"]),
        ("/api/quotes?speaker=nobody", []),
        ("/api/quotes?cue_class=speech", ["wire/a1:q1", "gazette-a2:q1"]),
        ("/api/quotes?cue_class=stance", []),
        ("/api/events?actor=osk&type=consult", ["ev-merged"]),
        ("/api/events?from=2031-03-04", []),
        ("/api/events?from=2031-03-01&to=2031-03-03", ["ev-merged"]),
        ("/api/figures?conflicts=true", ["fig-0", "fig-1"]),
        ("/api/stories", ["story-1"]),
    ],
)
def test_list_filters(client: TestClient, url: str, expected_ids: list[str]) -> None:
    data = get_json(client, url)
    assert sorted(item["id"] for item in data["items"]) == sorted(expected_ids)
    assert data["total"] == len(expected_ids)


def test_articles_pagination(client: TestClient) -> None:
    first = get_json(client, "/api/articles?limit=2&offset=0")
    second = get_json(client, "/api/articles?limit=2&offset=2")
    assert first["total"] == second["total"] == 3
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    assert {i["id"] for i in first["items"]} | {i["id"] for i in second["items"]} == {
        "wire/a1",
        "gazette-a2",
        "x3",
    }
    assert get_json(client, "/api/articles?offset=99")["items"] == []


def test_timeline_filters_and_citations(client: TestClient) -> None:
    entries = get_json(client, "/api/timeline")["items"]
    assert [e["date"] for e in entries] == ["2031-03-03", "2031-03-06"]
    cited = {c["article_id"]: c for c in entries[0]["citations"]}
    assert set(cited) == {"wire/a1", "gazette-a2"}
    article = get_json(client, "/api/articles/wire/a1")
    span = article["text"][cited["wire/a1"]["start"] : cited["wire/a1"]["end"]]
    assert span == "The talks opened on Monday in Portvale."
    assert len(get_json(client, "/api/timeline?entity=Osk")["items"]) == 1
    assert get_json(client, "/api/timeline?from=2031-03-05")["items"][0]["date"] == "2031-03-06"


def test_article_highlights_slice_back(client: TestClient) -> None:
    article = get_json(client, "/api/articles/gazette-a2")
    text = article["text"]
    highlights = article["highlights"]
    for kind in ("entities", "quotes", "timexes", "figures", "framing"):
        assert highlights[kind], kind
        for item in highlights[kind]:
            assert text[item["start"] : item["end"]] == item.get("text", item.get("term"))
    assert highlights["entities"][0]["entity_id"] == "ent-osk"


def test_entity_detail_roles_quotes_framing(client: TestClient) -> None:
    entity = get_json(client, "/api/entities/ent-osk")
    assert entity["roles"] == ["Minister"]
    assert {q["id"] for q in entity["quotes"]} == {"wire/a1:q1", "gazette-a2:q1"}
    assert {t["term"] for t in entity["framing"]["Daily Gazette"]} == {"stubborn minister"}
    assert {t["term"] for t in entity["framing"]["Harbour Wire"]} == {"Minister"}


def test_framing_side_by_side(client: TestClient) -> None:
    items = get_json(client, "/api/framing?entity=Lena%20Osk")["items"]
    assert len(items) == 1
    assert sorted(items[0]["outlets"]) == ["Daily Gazette", "Harbour Wire"]
    assert get_json(client, "/api/framing?entity=zzz")["items"] == []


def test_quotes_grouped_by_same_statement(client: TestClient) -> None:
    groups = get_json(client, "/api/quotes?grouped=true")["items"]
    assert len(groups) == 1
    assert groups[0]["outlets"] == ["Daily Gazette", "Harbour Wire"]


def test_story_detail(client: TestClient) -> None:
    story = get_json(client, "/api/stories/story-1")
    assert story["outlets"] == ["Daily Gazette", "Harbour Wire"]
    assert len(story["timeline"]) == 2
    assert story["summary"][0]["story_id"] == "story-1"


def test_search_finds_and_paginates(client: TestClient) -> None:
    data = get_json(client, "/api/search?q=Portvale")
    assert {h["id"] for h in data["items"]} == {"wire/a1", "gazette-a2"}
    assert len(get_json(client, "/api/search?q=Portvale&limit=1&offset=1")["items"]) == 1


# -- errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/articles/nope",
        "/api/stories/nope",
        "/api/entities/nope",
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
        "/api/articles/%2Fetc%2Fpasswd",
    ],
)
def test_unknown_ids_are_json_404(client: TestClient, url: str) -> None:
    assert "detail" in get_json(client, url, status=404)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/search?q=%22unterminated", 400),
        ("/api/search?q=AND", 400),
        ("/api/search?q=(", 400),
        ("/api/search", 422),
        ("/api/search?q=", 422),
        ("/api/articles?limit=0", 422),
        ("/api/articles?limit=abc", 422),
        ("/api/articles?offset=-1", 422),
        ("/api/events?from=2031-13-45", 422),
        ("/api/timeline?to=yesterday", 422),
        ("/api/figures?conflicts=maybe", 422),
        ("/api/quotes?speaker=" + "x" * 600, 422),
        ("/api/quotes?cue_class=quote", 422),
        # a repeated parameter is ambiguous, whatever its values
        ("/api/timeline?offset=0&offset=%2B0.0", 422),
        ("/api/quotes?speaker=a&speaker=a", 422),
    ],
)
def test_bad_parameters_are_json_4xx(client: TestClient, url: str, status: int) -> None:
    assert get_json(client, url, status=status)["detail"]


def test_openapi_lists_endpoints(client: TestClient) -> None:
    paths = get_json(client, "/openapi.json")["paths"]
    for path in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/stories",
        "/api/entities",
        "/api/quotes",
        "/api/events",
        "/api/timeline",
        "/api/framing",
        "/api/figures",
        "/api/search",
    ):
        assert path in paths
    assert not any(p.startswith("/articles") for p in paths)


# -- HTML pages and JSON twins ----------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "needle"),
    [
        ("/", "Portvale talks"),
        ("/stories/story-1", "Lena Osk opens talks in Portvale"),
        ("/articles", "Talks open in Portvale"),
        ("/articles/wire%2Fa1", 'id="span-47-86"'),
        ("/entities", "Lena Osk"),
        ("/entities/ent-osk", "stubborn minister"),
        ("/quotes", "We will keep talking."),
        ("/search?q=harbour", "Talks open in Portvale"),
    ],
)
def test_pages_render(client: TestClient, page: str, needle: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert needle in response.text


@pytest.mark.parametrize(
    ("cue_class", "label"), [("speech", None), ("stance", "stance"), ("action", "action")]
)
def test_quote_caption_names_stances_and_acts(cue_class: str, label: str | None) -> None:
    from dateline.models import Quote
    from dateline.web.templating import environment

    quote = Quote("a:q1", "a", 0, 9, "a new law", "indirect", None, None, "signed")
    view = {"quote": replace(quote, cue_class=cue_class), "href": "#", "outlet": "W", "badge": None}
    group = {"speaker": "?", "speaker_id": None, "co_speakers": [], "outlets": 1, "quotes": [view]}
    macro = '{% import "macros.html" as m %}{{ m.quote_groups(groups, None) }}'
    out = environment().from_string(macro).render(groups=[group])
    assert ("cue-class" in out) is (label is not None)
    if label:
        assert f'<span class="cue-class">{label}</span>' in out


def test_a_joint_statement_names_and_links_each_speaker() -> None:
    from dateline.models import Quote
    from dateline.web.templating import environment

    quote = Quote("a:q1", "a", 0, 9, "the port will reopen", "indirect", "e1", "Petrova", "said")
    view = {"quote": quote, "href": "#", "outlet": "W", "badge": None}
    group = {
        "speaker": "Anna Petrova",
        "speaker_id": "E1",
        "co_speakers": [{"id": "E2", "name": "Tom Reyes"}, {"id": "E3", "name": "Ana Ruiz"}],
        "outlets": 1,
        "quotes": [view],
    }
    macro = '{% import "macros.html" as m %}{{ m.quote_groups(groups, href) }}'
    out = environment().from_string(macro).render(groups=[group], href=lambda i: f"/e/{i}")
    assert '<a href="/e/E1">Anna Petrova</a>' in out
    assert (
        '<span class="co-speakers">with <a href="/e/E2">Tom Reyes</a>, '
        '<a href="/e/E3">Ana Ruiz</a></span>'
    ) in out


@pytest.mark.parametrize(
    ("query", "status", "shown"),
    [
        ("", 200, True),
        ("?cue_class=", 200, True),
        ("?cue_class=speech", 200, True),
        ("?cue_class=action", 200, False),
        ("?cue_class=quote", 422, False),
    ],
)
def test_quotes_page_filters_by_class(
    client: TestClient, query: str, status: int, shown: bool
) -> None:
    response = client.get("/quotes" + query)
    assert response.status_code == status
    assert ("We will keep talking." in response.text) is shown
    if status == 200:
        selected = query.partition("=")[2]
        assert f'<option value="{selected}" selected>' in response.text


def test_article_page_anchors(client: TestClient) -> None:
    text = client.get("/articles/wire%2Fa1").text
    assert 'id="q-wire/a1:q1"' in text
    assert 'id="f-fig-0"' in text
    assert '<mark class="hl hl-timex" id="span-67-73"' in text
    # the timeline links the article at the cited sentence
    assert 'href="/articles/wire%2Fa1#span-47-86"' in client.get("/").text


@pytest.mark.parametrize(
    ("twin", "key"),
    [
        ("/index.json", "stories"),
        ("/articles/wire/a1.json", "highlights"),
        ("/articles/wire%2Fa1.json", "highlights"),
        ("/entities/ent-osk.json", "framing"),
        ("/stories/story-1.json", "timeline"),
        ("/search.json?q=Portvale", "items"),
    ],
)
def test_json_twins(client: TestClient, twin: str, key: str) -> None:
    assert key in get_json(client, twin)


@pytest.mark.parametrize("twin", ["/articles.json", "/entities.json", "/quotes.json"])
def test_list_json_twins(client: TestClient, twin: str) -> None:
    assert get_json(client, twin)


def test_html_errors(client: TestClient) -> None:
    missing = client.get("/articles/nope")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
    bad = client.get("/search?q=%22oops")
    assert bad.status_code == 400
    assert "cannot search" in bad.text
    assert client.get("/articles/nope.json").status_code == 404
    twice = client.get("/quotes?speaker=a&speaker=b")
    assert twice.status_code == 422
    assert "text/html" in twice.headers["content-type"]


@pytest.mark.parametrize(
    "page",
    [
        "/",
        "/articles/x3",
        "/entities/ent-xss",
        "/entities",
        "/articles",
        "/quotes",
        "/stories/story-1",
        "/search?q=reader",
        "/search?q=" + XSS_SCRIPT,
    ],
)
def test_untrusted_text_is_escaped(client: TestClient, page: str) -> None:
    body = client.get(page).text
    assert "<script" not in body
    assert "<img" not in body
    if page in ("/articles/x3", "/entities/ent-xss"):
        assert html.escape(XSS_SCRIPT, quote=False) in body
        assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_reload_when_database_changes(tmp_path: Path) -> None:
    db = write_db(tmp_path / "r.db")
    with TestClient(create_app(str(db))) as c:
        assert get_json(c, "/api/articles")["total"] == 3
        from dateline.store import SQLiteStore

        store = SQLiteStore(db)
        analysis = next(a for a in store.iter_analyses() if a.article.id == "x3")
        store.save_analysis(ArticleAnalysis(replace(analysis.article, id="x4")))
        store.close()
        stamp = time.time() + 5
        os.utime(db, (stamp, stamp))
        assert get_json(c, "/api/articles")["total"] == 4
        assert get_json(c, "/api/articles/x4")["id"] == "x4"


# -- pure helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marks", "dropped"),
    [
        ([Mark(0, 5, "quote"), Mark(2, 4, "entity")], 0),
        ([Mark(0, 5, "quote"), Mark(3, 8, "entity")], 1),  # crossing: lower priority dropped
        ([Mark(0, 5, "quote"), Mark(0, 5, "entity")], 0),  # same range: one node, two kinds
        ([Mark(5, 50, "quote"), Mark(3, 3, "entity")], 2),  # out of range and empty
    ],
)
def test_build_tree_keeps_text(marks: list[Mark], dropped: int) -> None:
    text = "abcdefghij"
    nodes, left_out = build_tree(text, marks)
    assert plain_text(nodes) == text
    assert len(left_out) == dropped


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


# -- outlet profiles ----------------------------------------------------------------------

# A user registry CSV naming one of the fictional outlets of the test corpus; its kind
# carries markup to check that registry text is escaped like article text.
OUTLETS_CSV = (
    "name,aliases,domains,country,kind,language\n"
    "Harbour Wire,HW,harbourwire.example,NZL,wire service <b>x</b>,en\n"
)
HW_PROFILE = {
    "name": "Harbour Wire",
    "country": "NZL",
    "kind": "wire service <b>x</b>",
    "language": "en",
}
BADGE_TEXT = "NZL · wire service &lt;b&gt;x&lt;/b&gt;"


@pytest.fixture(scope="module")
def outlets_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outlets") / "extra.csv"
    path.write_text(OUTLETS_CSV, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def profiled(db_file: Path, outlets_csv: Path) -> TestClient:
    with TestClient(create_app(str(db_file), outlets_csv)) as c:
        yield c


def test_outlets_endpoint_lists_counts_and_unknown_profiles(client: TestClient) -> None:
    data = get_json(client, "/api/outlets")
    assert data["total"] == 2
    assert data["items"] == [
        {"name": "Daily Gazette", "articles": 2, "profile": None},
        {"name": "Harbour Wire", "articles": 1, "profile": None},
    ]
    assert get_json(client, "/api/outlets?limit=1&offset=1")["items"][0]["name"] == "Harbour Wire"


def test_outlets_endpoint_with_user_csv(profiled: TestClient) -> None:
    items = {i["name"]: i for i in get_json(profiled, "/api/outlets")["items"]}
    assert items["Harbour Wire"]["profile"] == HW_PROFILE
    assert items["Daily Gazette"]["profile"] is None


@pytest.mark.parametrize(
    ("url", "pick"),
    [
        ("/api/articles", lambda d: {i["id"]: i for i in d["items"]}["wire/a1"]),
        ("/api/articles/wire%2Fa1", lambda d: d),
        ("/articles/wire%2Fa1.json", lambda d: d),
        ("/api/stories/story-1", lambda d: {i["id"]: i for i in d["articles"]}["wire/a1"]),
        ("/api/quotes?outlet=Harbour%20Wire", lambda d: d["items"][0]),
        ("/api/figures", lambda d: {i["article_id"]: i for i in d["items"]}["wire/a1"]),
        ("/api/articles/wire%2Fa1", lambda d: d["highlights"]["quotes"][0]),
    ],
)
def test_outlet_profile_field(
    client: TestClient, profiled: TestClient, url: str, pick: Any
) -> None:
    assert pick(get_json(client, url))["outlet_profile"] is None  # unknown: field, null
    assert pick(get_json(profiled, url))["outlet_profile"] == HW_PROFILE


def test_timeline_citations_carry_profiles(profiled: TestClient) -> None:
    cites = [c for e in get_json(profiled, "/api/timeline")["items"] for c in e["citations"]]
    assert cites
    for c in cites:
        expected = HW_PROFILE if c["outlet"] == "Harbour Wire" else None
        assert c["outlet_profile"] == expected


@pytest.mark.parametrize(
    "page",
    ["/", "/stories/story-1", "/articles", "/articles/wire%2Fa1", "/quotes", "/entities/ent-osk"],
)
def test_badges_on_pages(client: TestClient, profiled: TestClient, page: str) -> None:
    body = profiled.get(page).text
    assert f'<span class="outlet-badge" title="Harbour Wire: {BADGE_TEXT} · language: en">' in body
    assert f">{BADGE_TEXT}</span>" in body
    assert "<b>x</b>" not in body
    assert 'class="outlet-badge"' not in client.get(page).text  # unknown outlets: no badge


def test_unknown_outlet_has_no_badge(profiled: TestClient) -> None:
    body = profiled.get("/articles/gazette-a2").text
    meta = body.split('<p class="meta">', 1)[1].split("</p>", 1)[0]
    assert meta.startswith("Daily Gazette")
    assert "outlet-badge" not in meta


def test_env_var_extends_registry(
    db_file: Path, outlets_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATELINE_OUTLETS", str(outlets_csv))
    with TestClient(create_app(str(db_file))) as c:
        assert get_json(c, "/api/articles/wire%2Fa1")["outlet_profile"] == HW_PROFILE
        assert 'class="outlet-badge"' in c.get("/articles/wire%2Fa1").text


def test_missing_outlets_csv_fails_early(
    db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from dateline.cli import app

    with pytest.raises(FileNotFoundError):
        create_app(str(db_file), tmp_path / "nope.csv")
    monkeypatch.setenv("DATELINE_OUTLETS", str(tmp_path / "nope.csv"))
    with pytest.raises(FileNotFoundError, match="DATELINE_OUTLETS"):
        create_app(str(db_file))
    monkeypatch.delenv("DATELINE_OUTLETS")
    result = CliRunner().invoke(
        app, ["serve", "--db", str(db_file), "--outlets", str(tmp_path / "nope.csv")]
    )
    assert result.exit_code == 3
    assert "nope.csv" in result.output
