"""The outlet registry: who publishes what, as plain facts (country, kind, language).

No bias ratings: the registry only says what an outlet *is* (a state news agency, a public
broadcaster, a private company...), so readers can weigh framing differences themselves.
The built-in table is ``lexicon/outlets.csv``; a user CSV with the same columns
(``name,aliases,domains,country,kind,language``; aliases and domains ``|``-separated) adds or
overrides rows. ``load_registry()`` reads that CSV from ``extra_csv`` or, when none is given,
from the ``DATELINE_OUTLETS`` environment variable.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from dateline.text import fold

COLUMNS = ("name", "aliases", "domains", "country", "kind", "language")
ENV_VAR = "DATELINE_OUTLETS"

# Section suffixes aggregators put after an outlet name ("CNN (Web News)", "New York Times -
# News", "Fox Online News"): stripped one at a time, only when the full name is unknown.
_PAREN_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_DASH_SUFFIX = re.compile(r"\s+[-\u2013\u2014|:]\s+[^-\u2013\u2014|:]+$")
_SECTION_WORDS = frozenset({"online", "news", "opinion", "editorial", "web", "com"})


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


def _variants(name: str) -> list[str]:
    """``name`` and shorter forms without section suffixes, longest first."""
    out = [name]
    current = name
    while True:
        shorter = _PAREN_SUFFIX.sub("", current)
        if shorter == current:
            shorter = _DASH_SUFFIX.sub("", current)
        if shorter == current:
            words = current.split()
            if len(words) > 1 and fold(words[-1]).strip(".") in _SECTION_WORDS:
                shorter = " ".join(words[:-1])
        if shorter == current or not shorter.strip():
            return out
        out.append(shorter)
        current = shorter


class OutletRegistry:
    """Lookup of outlet profiles by name, alias, domain or URL (case/accent-insensitive)."""

    def __init__(self, profiles: list[OutletProfile]) -> None:
        self._by_name: dict[str, OutletProfile] = {}
        self._by_domain: dict[str, OutletProfile] = {}
        # later rows (user CSV) override earlier ones with the same name, aliases included
        final = {_key(p.name): p for p in profiles}
        for profile in profiles:
            chosen = final[_key(profile.name)]
            for name in (profile.name, *profile.aliases):
                self._by_name[_key(name)] = chosen
            for dom in profile.domains:
                self._by_domain[dom.casefold().removeprefix("www.")] = chosen
        self.profiles: tuple[OutletProfile, ...] = tuple(final.values())

    def lookup(self, name_or_domain: str | None) -> OutletProfile | None:
        """The profile for an outlet name, alias, domain or URL; None when unknown.

        A name that is not known as written is retried without an aggregator's section
        suffix ("CNN (Web News)" -> "CNN", "Fox Online News" -> "Fox").
        """
        if not name_or_domain or not name_or_domain.strip():
            return None
        for variant in _variants(name_or_domain.strip()):
            found = self._by_name.get(_key(variant))
            if found is not None:
                return found
        host = _domain(name_or_domain)
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            host = host.split(".", 1)[1] if host.count(".") > 1 else None
        return None

    def profile_for(self, outlet: str | None, url: str | None = None) -> OutletProfile | None:
        """An article's profile: by its outlet name, else by the host of its URL."""
        return self.lookup(outlet) or self.lookup(url)

    def __len__(self) -> int:
        return len(self.profiles)


def profile_dict(profile: OutletProfile | None) -> dict[str, str | None] | None:
    """The JSON shape of a profile (``None`` stays ``None``: unknown outlets have none)."""
    if profile is None:
        return None
    return {
        "name": profile.name,
        "country": profile.country,
        "kind": profile.kind,
        "language": profile.language,
    }


def short_label(profile: OutletProfile | None) -> str:
    """A compact label such as ``"CHN · state news agency"``; empty when nothing is known."""
    if profile is None:
        return ""
    return " \u00b7 ".join(part for part in (profile.country, profile.kind) if part)


def with_facts(name: str, profile: OutletProfile | None) -> str:
    """``"Xinhua (CHN · state news agency)"``; just ``name`` when nothing is known."""
    label = short_label(profile)
    return f"{name} ({label})" if label else name


def long_label(profile: OutletProfile | None) -> str:
    """The label with the registry name and language, for tooltips."""
    if profile is None:
        return ""
    parts = [
        profile.country,
        profile.kind,
        f"language: {profile.language}" if profile.language else None,
    ]
    return f"{profile.name}: " + " \u00b7 ".join(p for p in parts if p)


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


def extra_csv_path(extra_csv: str | Path | None = None) -> Path | None:
    """``extra_csv`` if given, else ``$DATELINE_OUTLETS`` if set and non-empty, else None."""
    if extra_csv is not None and str(extra_csv).strip():
        return Path(extra_csv)
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else None


def load_registry(extra_csv: str | Path | None = None) -> OutletRegistry:
    """The built-in registry, extended (and overridden by name) by a user CSV.

    The CSV is ``extra_csv`` or, when that is None, the file named by ``$DATELINE_OUTLETS``.

    Raises:
        FileNotFoundError: the user CSV does not exist (a typo should not pass silently).
    """
    profiles = list(_builtin())
    path = extra_csv_path(extra_csv)
    if path is not None:
        if not path.is_file():
            source = "--outlets" if extra_csv is not None else f"${ENV_VAR}"
            raise FileNotFoundError(f"outlet registry CSV not found: {path} (from {source})")
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        profiles.extend(_read(text))
    return OutletRegistry(profiles)
