"""Shared test configuration.

``quote_mode`` runs a quote test twice: with the learned attribution tagger on (the
default) and with the rules alone (``dateline analyze --no-quote-tagger``): the tagger's
quotes must keep the rules' product decisions.

Under CI (``CI`` set) hypothesis runs derandomized: the same generated examples every run, so
a landing is never decided by a lucky or unlucky draw. Locally it explores new examples each
run (and keeps failures in its database), which is how the property tests find bugs.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import settings

from dateline.settings import Settings

settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(params=["rules", "tagger"])
def quote_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """``extract_quotes``'s default settings: the rules alone, or with the tagger on."""
    from dateline.stages import quotes

    defaults = quotes.extract_quotes.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "settings", Settings(quote_tagger=request.param == "tagger"))
    return str(request.param)


@pytest.fixture
def tagger_weakness(request: pytest.FixtureRequest, quote_mode: str) -> Callable[[str], None]:
    """``tagger_weakness(reason)`` marks a case the shipped tagger gets wrong: with the tagger
    on a strict expected failure (it must be unmarked once a model passes it), with the
    rules alone a plain test."""

    def mark(reason: str) -> None:
        if quote_mode == "tagger":
            request.applymarker(
                pytest.mark.xfail(strict=True, reason="known weakness of the tagger: " + reason)
            )

    return mark
