"""Every benchmark's ``--help`` prints: argparse formats each help text with ``%``, so a bare
``%`` in one ("articles i % N") crashes ``--help`` of a script nobody then learns to run."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _help_texts(path: Path) -> list[tuple[int, str]]:
    """The literal ``help=`` texts of a script's ``add_argument``/``add_parser`` calls."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                text = kw.value.value if isinstance(kw.value, ast.Constant) else None
                if kw.arg == "help" and isinstance(text, str):
                    found.append((node.lineno, text))
    return found


@pytest.mark.parametrize("script", sorted(BENCHMARKS.glob("*.py")), ids=lambda p: p.name)
def test_help_texts_survive_argparse_formatting(script: Path) -> None:
    params: defaultdict[str, str] = defaultdict(str)  # argparse passes the action's fields
    for line, text in _help_texts(script):
        try:
            text % params
        except (ValueError, TypeError) as exc:
            pytest.fail(f"{script.name}:{line}: help text breaks --help ({exc}); write % as %%")


def test_the_check_reads_help_texts() -> None:
    texts = [t for script in BENCHMARKS.glob("*.py") for _, t in _help_texts(script)]
    assert len(texts) > 20
    bare_percent = "articles i % N == N-1"  # the text that broke train_quote_confidence.py
    with pytest.raises(ValueError, match="unsupported format character"):
        bare_percent % defaultdict(str)
