"""Plain-text parsing (metadata prefixes, headers, headlines) and byte decoding."""

from __future__ import annotations

from datetime import date

import pytest

from dateline.ingest.decode import decode_bytes, sniff_binary
from dateline.ingest.plaintext import find_headline, parse_plain_text
from dateline.ingest.published import parse_published


@pytest.mark.parametrize(
    ("raw", "text_start", "meta"),
    [
        (" date 2019-05-05 Following the vote, the council met.", "Following the vote",
         {"date": "2019-05-05"}),
        ("  date 2020-01-31 url https://gazette.example/a The pier reopened.", "The pier reopened",
         {"date": "2020-01-31", "url": "https://gazette.example/a"}),
        (" date tomorrow we sail.", "date tomorrow we sail.", {}),  # value is not a date
        ("date 2019-05-05 no leading space is prose.", "date 2019-05-05", {}),
        ("Title: Pier reopens\nDate: 2021-03-15\n\nThe pier reopened.", "The pier reopened",
         {"title": "Pier reopens", "date": "2021-03-15"}),
        ("Source: Lindmark Gazette\nURL: https://gazette.example/b\nThe market moved.",
         "The market moved", {"outlet": "Lindmark Gazette", "url": "https://gazette.example/b"}),
    ],
)  # fmt: skip
def test_parse_plain_text_metadata(raw, text_start, meta):
    parts = parse_plain_text(raw)
    assert parts.text.startswith(text_start)
    assert parts.meta == meta


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("Pier Reopens After Storm\n\nThe pier reopened on Monday.", "Pier Reopens After Storm"),
        ("Pier reopens after the storm\n\nThe pier reopened on Monday.",
         "Pier reopens after the storm"),
        ("Pier Reopens After Storm Damage Is Repaired\nThe pier reopened on Monday.",
         "Pier Reopens After Storm Damage Is Repaired"),
        ("Will the ferry run again?\n\nNobody knows yet.", "Will the ferry run again?"),
        ("The pier reopened on Monday.\n\nBoats lined up.", None),  # final period
        ("the pier reopened on monday after the storm\nboats lined up", None),  # no blank, no case
        ("Pier Reopens", None),  # the whole article
        ("Harbour\n\nText.", None),  # one word is not a headline
        ("A " + "very " * 40 + "long first line\n\nText.", None),
    ],
)  # fmt: skip
def test_find_headline(text, headline):
    assert find_headline(text) == headline


_RUSSIAN = "Москва сегодня объявила о новых переговорах"  # noqa: RUF001 - Cyrillic on purpose


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"Plain ASCII.", "Plain ASCII."),
        ("Zürich café".encode(), "Zürich café"),
        ("\ufeffWith BOM".encode(), "With BOM"),
        ("São Paulo à noite".encode("latin-1"), "São Paulo à noite"),
        ("Mañana \u2013 “sí”".encode("cp1252"), "Mañana \u2013 “sí”"),
        (_RUSSIAN.encode("cp1251"), _RUSSIAN),
    ],
)  # fmt: skip
def test_decode_bytes(data, text):
    assert decode_bytes(data) == text


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.4", "PDF"),
        (b"GIF89a\x01\x00", "GIF"),
        (b"plain text\n", None),
        ("utf-16 text".encode("utf-16"), None),
        (b"a\x00b\x00c\x00d\x00", "binary data"),
    ],
)
def test_sniff_binary(data, kind):
    assert sniff_binary(data) == kind


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-05-05", (date(2019, 5, 5), "day")),
        ("2019-05-05T23:10:00+03:00", (date(2019, 5, 5), "day")),
        ("2019-05", (date(2019, 5, 1), "month")),
        ("2019", (date(2019, 1, 1), "year")),
        ("Sun, 05 May 2019 10:00:00 GMT", (date(2019, 5, 5), "day")),
        ("2019-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (12, None),
    ],
)
def test_parse_published(value, expected):
    assert parse_published(value) == expected
