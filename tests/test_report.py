"""The single-file HTML report: self-contained, escaped, every citation resolves in-file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest_web import XSS_IMG, XSS_SCRIPT, build_corpus, write_db
from typer.testing import CliRunner

from dateline.cli import app
from dateline.outlets import OutletRegistry, load_registry
from dateline.web.index import build_index
from dateline.web.report import render_report


@pytest.fixture(scope="module")
def report_html() -> str:
    analyses, result, links = build_corpus()
    return render_report(build_index(result, analyses, links))


def test_report_is_self_contained(report_html: str) -> None:
    assert "<style>" in report_html
    assert "<script" not in report_html
    assert not re.search(r"<link[^>]+stylesheet", report_html)
    assert not re.search(r'\s(?:src|href)="(?:https?:)?//', report_html)
    assert "<svg" in report_html


@pytest.mark.parametrize(
    ("section", "needle"),
    [
        ("timeline", "Lena Osk opens talks in Portvale"),
        ("quotes", "We will keep talking."),
        ("framing", "stubborn minister"),
        ("figures", "120 people"),
        ("summary", "Talks opened in Portvale"),
    ],
)
def test_report_sections(report_html: str, section: str, needle: str) -> None:
    start = report_html.index(f'id="{section}"')
    end = report_html.index("</section>", start)
    assert needle in report_html[start:end]


def test_report_counts_in_the_right_number(report_html: str) -> None:
    counts = re.search(r'<p class="counts">(.*?)</p>', report_html)
    assert counts is not None
    assert re.search(r"\b\d+ (articles?|stories|story) · ", counts.group(1))
    assert not re.search(r"\b1 (articles|outlets|quotes|events|stories|entities)\b", report_html)


def test_story_heading_without_outlets_has_no_dangling_separator() -> None:
    from dataclasses import replace

    analyses, result, links = build_corpus()
    analyses = [replace(a, article=replace(a.article, outlet=None)) for a in analyses]
    result = replace(result, articles=tuple(replace(a, outlet=None) for a in result.articles))
    html = render_report(build_index(result, analyses, links))
    heading = re.search(r"<h3>.*?<small>(.*?)</small>", html, re.S)
    assert heading is not None
    assert heading.group(1).strip().endswith("articles")


@pytest.mark.parametrize(
    ("n", "singular", "plural", "shown"),
    [
        (1, "article", None, "1 article"),
        (0, "article", None, "0 articles"),
        (2, "story", "stories", "2 stories"),
        (1, "story", "stories", "1 story"),
    ],
)
def test_counted(n: int, singular: str, plural: str | None, shown: str) -> None:
    from dateline.web.templating import counted

    assert counted(n, singular, plural) == shown


def test_report_figure_conflict_pairs_both_outlets(report_html: str) -> None:
    start = report_html.index('id="figures"')
    block = report_html[start : report_html.index("</section>", start)]
    assert "120 people" in block
    assert "200 people" in block
    assert "Daily Gazette" in block
    assert "Harbour Wire" in block


def test_report_citations_resolve(report_html: str) -> None:
    ids = set(re.findall(r'\sid="([^"]+)"', report_html))
    targets = set(re.findall(r'href="#([^"]+)"', report_html))
    assert targets
    assert targets <= ids, targets - ids
    all_ids = re.findall(r'\sid="([^"]+)"', report_html)
    assert len(all_ids) == len(set(all_ids))
    # the first timeline entry cites the sentence span in each source article
    assert "a1-span-47-86" in targets


def test_report_escapes_article_text(report_html: str) -> None:
    assert XSS_SCRIPT not in report_html
    assert "<img" not in report_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report_html
    assert "&lt;img src=x onerror=alert(1)&gt;" in report_html
    assert XSS_IMG not in report_html


def test_report_cli_writes_file(tmp_path: Path) -> None:
    db = write_db(tmp_path / "r.db")
    out = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>")
    assert "Portvale" in text


def test_report_cli_missing_db(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["report", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "x.html")]
    )
    assert result.exit_code == 3
    assert not (tmp_path / "x.html").exists()


# -- outlet profiles ----------------------------------------------------------------------

OUTLETS_CSV = (
    "name,aliases,domains,country,kind,language\n"
    "Harbour Wire,,harbourwire.example,NZL,wire service,en\n"
    'Daily Gazette,,,,"<i>tabloid</i>",en\n'
)
HW_BADGE = '<span class="outlet-badge" title="Harbour Wire: NZL · wire service · language: en">'


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> OutletRegistry:
    path = tmp_path_factory.mktemp("outlets") / "extra.csv"
    path.write_text(OUTLETS_CSV, encoding="utf-8")
    return load_registry(path)


@pytest.fixture(scope="module")
def profiled_html(registry: OutletRegistry) -> str:
    analyses, result, links = build_corpus()
    return render_report(build_index(result, analyses, links, registry=registry))


def _section(html: str, section: str) -> str:
    start = html.index(f'id="{section}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize(
    "section", ["summary", "timeline", "quotes", "framing", "figures", "articles"]
)
def test_report_badges_in_every_section(profiled_html: str, report_html: str, section: str) -> None:
    assert HW_BADGE + "NZL · wire service</span>" in _section(profiled_html, section)
    assert "outlet-badge" not in _section(report_html, section)  # unknown outlets: no badge


def test_report_badge_text_is_escaped(profiled_html: str) -> None:
    assert "<i>tabloid</i>" not in profiled_html
    assert ">&lt;i&gt;tabloid&lt;/i&gt;</span>" in profiled_html


@pytest.mark.parametrize("via", ["option", "env"])
def test_report_cli_outlets_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, via: str) -> None:
    db = write_db(tmp_path / "r.db")
    csv = tmp_path / "extra.csv"
    csv.write_text(OUTLETS_CSV, encoding="utf-8")
    out = tmp_path / "report.html"
    args = ["report", "--db", str(db), "--out", str(out)]
    if via == "option":
        args += ["--outlets", str(csv)]
    else:
        monkeypatch.setenv("DATELINE_OUTLETS", str(csv))
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert HW_BADGE in out.read_text(encoding="utf-8")


def test_report_cli_missing_outlets_csv(tmp_path: Path) -> None:
    db = write_db(tmp_path / "r.db")
    out = tmp_path / "x.html"
    missing = tmp_path / "nope.csv"
    result = CliRunner().invoke(
        app, ["report", "--db", str(db), "--out", str(out), "--outlets", str(missing)]
    )
    assert result.exit_code == 3
    assert not out.exists()
