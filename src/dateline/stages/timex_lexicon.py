"""Loads ``lexicon/time_words.json``: month, weekday, number and unit words for the timex stage."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def time_words() -> dict[str, Any]:
    """The time vocabulary, read once per process."""
    path = resources.files("dateline.lexicon").joinpath("time_words.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def month_number(word: str) -> int | None:
    """1-12 for a month name or abbreviation ("Sept.", "january"), else None."""
    return time_words()["months"].get(word.lower().rstrip("."))  # type: ignore[no-any-return]


def weekday_number(word: str) -> int | None:
    """ISO weekday (Monday=1) for a weekday name, else None."""
    return time_words()["weekdays"].get(word.lower().rstrip("."))  # type: ignore[no-any-return]


def number_value(word: str) -> int | None:
    """The integer a number word or numeral denotes; None when vague ("several")."""
    w = " ".join(word.lower().split())
    if w.startswith("a couple"):
        return 2
    w = w.replace(" ", "-")
    if w.replace(".", "", 1).isdigit():
        return int(float(w))
    nums = time_words()["numbers"]
    if w in nums:
        v = nums[w]
        return v if isinstance(v, int) else None
    if "-" in w:  # "twenty-four"
        parts = w.split("-")
        vals = [nums.get(p) for p in parts]
        if all(isinstance(v, int) for v in vals):
            return sum(v for v in vals if isinstance(v, int))
    if w.startswith(("a few", "few", "several", "many", "some")):
        return None
    return None
