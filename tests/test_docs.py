"""Every CLI command, setting and API endpoint is documented; every help has an example."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dateline.cli import app
from dateline.settings import SETTINGS_HELP, Settings

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(
    c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands
)


def test_commands_are_registered() -> None:
    assert {
        "analyze",
        "timeline",
        "quotes",
        "events",
        "compare",
        "search",
        "export",
        "report",
        "serve",
        "spark",
    } <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_in_readme(command: str) -> None:
    assert re.search(rf"dateline {command}\b", README), f"README does not show `dateline {command}`"


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_ends_with_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "Example:" in result.output, f"`dateline {command} --help` has no example"


def test_every_setting_has_help() -> None:
    assert set(SETTINGS_HELP) == {f.name for f in fields(Settings)}
    assert all(len(text) > 10 for text in SETTINGS_HELP.values())


def test_every_api_route_is_documented(tmp_path: Path) -> None:
    from dateline.api import create_app
    from dateline.store import SQLiteStore

    SQLiteStore(tmp_path / "empty.db").close()
    api_doc = (REPO / "docs" / "API.md").read_text(encoding="utf-8")
    app_ = create_app(str(tmp_path / "empty.db"))
    api_paths = sorted(p for p in app_.openapi()["paths"] if p.startswith("/api/"))
    assert api_paths
    for path in api_paths:
        path = re.sub(r"\{[^}]+\}", "{id}", path)
        assert f"`GET {path}`" in api_doc, f"{path} is not in docs/API.md"


def test_readme_has_exactly_the_two_setup_commands() -> None:
    setup = README.split("## Set up and run", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", setup, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_typer_app_is_typer() -> None:
    assert isinstance(app, typer.Typer)
