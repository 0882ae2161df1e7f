"""The outlet registry: who publishes what, as plain facts (country, kind, language).

No bias ratings: the registry only says what an outlet *is* (a state news agency, a public
broadcaster, a private company...), so readers can weigh framing differences themselves.
The built-in table is ``lexicon/outlets.csv``; a user CSV with the same columns
(``name,aliases,domains,country,kind,language``; aliases and domains ``|``-separated) adds or
overrides rows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from dateline.text import fold

COLUMNS = ("name", "aliases", "domains", "country", "kind", "language")


@dataclass(frozen=True, slots=True)
class OutletProfile:
    """Facts about one outlet."""

    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    country: str | None
    kind: str | None
    language: str | None


def _key(name: str) -> str:
    """Fold case, accents and a leading "the" so "the guardian" finds "The Guardian"."""
    key = " ".join(fold(name).replace("-", " ").split())
    return key[4:] if key.startswith("the ") else key


def _domain(value: str) -> str | None:
    """The host of a URL or bare domain, without ``www.``; None when it is not one."""
    value = value.strip().casefold()
    if "://" in value:
        value = urlsplit(value).netloc
    elif "/" in value:
        value = value.split("/", 1)[0]
    value = value.split(":", 1)[0].removeprefix("www.")
    return value if "." in value and " " not in value else None


class OutletRegistry:
    """Lookup of outlet profiles by name, alias, domain or URL (case/accent-insensitive)."""

    def __init__(self, profiles: list[OutletProfile]) -> None:
        self._by_name: dict[str, OutletProfile] = {}
        self._by_domain: dict[str, OutletProfile] = {}
        for profile in profiles:  # later rows (user CSV) override earlier ones
            for name in (profile.name, *profile.aliases):
                self._by_name[_key(name)] = profile
            for dom in profile.domains:
                self._by_domain[dom.casefold().removeprefix("www.")] = profile
        self.profiles: tuple[OutletProfile, ...] = tuple({p.name: p for p in profiles}.values())

    def lookup(self, name_or_domain: str | None) -> OutletProfile | None:
        """The profile for an outlet name, alias, domain or URL; None when unknown."""
        if not name_or_domain or not name_or_domain.strip():
            return None
        found = self._by_name.get(_key(name_or_domain))
        if found is not None:
            return found
        host = _domain(name_or_domain)
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            host = host.split(".", 1)[1] if host.count(".") > 1 else None
        return None

    def __len__(self) -> int:
        return len(self.profiles)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _read(text: str) -> list[OutletProfile]:
    profiles = []
    for row in csv.DictReader(text.splitlines()):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        profiles.append(
            OutletProfile(
                name=name,
                aliases=_split(row.get("aliases")),
                domains=_split(row.get("domains")),
                country=(row.get("country") or "").strip().upper() or None,
                kind=(row.get("kind") or "").strip() or None,
                language=(row.get("language") or "").strip() or None,
            )
        )
    return profiles


@lru_cache(maxsize=1)
def _builtin() -> tuple[OutletProfile, ...]:
    text = resources.files("dateline.lexicon").joinpath("outlets.csv").read_text("utf-8")
    return tuple(_read(text))


def load_registry(extra_csv: Path | None = None) -> OutletRegistry:
    """The built-in registry, extended (and overridden by name) by ``extra_csv`` if given."""
    profiles = list(_builtin())
    if extra_csv is not None:
        profiles.extend(_read(Path(extra_csv).read_text(encoding="utf-8-sig")))
    return OutletRegistry(profiles)
