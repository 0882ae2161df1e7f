"""Bytes to text: binary sniffing and encoding detection.

News files arrive in UTF-8 mostly, but scraped archives still carry Latin-1/cp1252 and the odd
UTF-16 export. We decode instead of rejecting, and we refuse only what is clearly not text
(images, PDFs, archives), so that a batch never silently stores mojibake or binary noise.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# Magic numbers of files that people drop into a news folder by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "ELF executable"),
    (b"{\\rtf", "RTF"),
    (b"\xd0\xcf\x11\xe0", "MS Office"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# More than 1% NUL bytes in the first KB is not text in any 8-bit or UTF-8 encoding, nor is a
# head where over 10% of the bytes are C0 control codes other than tab/newline/CR (text has ~0%).
_NUL_THRESHOLD = 0.01
_CONTROL_THRESHOLD = 0.1
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 13}
_SNIFF_BYTES = 1024

# cp1252 leaves these bytes undefined: their presence rules the encoding out.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def bom_encoding(data: bytes) -> str | None:
    """Return the codec named by a byte-order mark at the start of ``data``, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def sniff_binary(data: bytes) -> str | None:
    """Return a short name of the binary format ``data`` looks like, or None for text.

    Why: a PDF or an image decoded as Latin-1 is "text" to a codec but garbage to every stage.
    """
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if bom_encoding(data) in ("utf-16", "utf-32"):
        return None  # NUL bytes are expected there
    head = data[:_SNIFF_BYTES]
    if head and head.count(0) / len(head) > _NUL_THRESHOLD:
        return "binary data"
    if head and sum(1 for byte in head if byte in _CONTROL_BYTES) / len(head) > _CONTROL_THRESHOLD:
        return "binary data"
    return None


def _looks_western(text: str) -> bool:
    """True when the non-ASCII letters are sparse, as in Western text read as cp1252.

    Cyrillic or Greek bytes decoded as cp1252 become runs of accented letters; real Latin-1
    prose keeps most letters ASCII. The 30% cut-off separates the two comfortably.
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    non_ascii = sum(1 for c in letters if ord(c) > 127)
    return non_ascii / len(letters) < 0.3


def declared_charset(data: bytes) -> str | None:
    """Return the charset an HTML/XML document declares in its first 4 KB, if valid."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or re.search(rb'encoding=["\']([A-Za-z0-9_.:-]+)', head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str | None:
    """Decode ``data`` to ``str``: BOM, UTF-8, the declared charset, cp1252, charset-normalizer.

    Returns None when no encoding gives text. The caller normalises the result.
    """
    bom = bom_encoding(data)
    if bom:
        try:
            return data.decode(bom)
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    if not _CP1252_UNDEFINED.intersection(data):
        text = data.decode("cp1252")
        if _looks_western(text):
            return text
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    return str(best)
