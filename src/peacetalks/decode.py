"""Bytes → one normalised Unicode string (the "decoded raw" every provenance range points into).

Decoding order, cheapest and surest first: refuse what is not text (empty, too large, binary
magic numbers, control-byte soup), honour a BOM, recognise BOM-less UTF-16 by its NUL pattern,
try strict UTF-8 (repairing a truncated tail or stray cp1252 bytes), and only then guess a legacy
code page. Normalisation then repairs mojibake (ftfy, only when a cheap pre-filter sees the typical
UTF-8-read-as-cp1252 pairs: running ftfy on everything would cost more than the whole cleaner),
maps odd spaces to " ", drops zero-width junk while keeping emoji ZWJ sequences, NFC, "\\n" only.

Everything here is a pure function of its arguments (datatrove-friendly); the only process-wide
effect is registering a stateless codec error handler.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import ftfy
from charset_normalizer import from_bytes

from .errors import RejectedInput
from .utf8screen import Utf8Screen

# A news article is a few KB; 20 MiB is far beyond any real page (even with inlined images) and
# keeps one bad file from eating the memory of a batch. Larger files are refused, not truncated.
MAX_BYTES = 20 * 1024 * 1024

# Stable reasons (tests and users match on these strings).
EMPTY = "empty"
TOO_LARGE = "too-large"
BINARY = "binary"

_MAGIC = (
    b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
    b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!", b"\x7fELF", b"MZ", b"\xd0\xcf\x11\xe0", b"RIFF",
    b"OggS", b"ID3", b"\x00\x00\x01\x00", b"wOFF", b"wOF2", b"SQLite format",
)
# Bytes that never occur in text files (tab, LF, CR, FF, ESC excluded).
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32), 127])


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    notes: tuple[str, ...] = ()  # repairs made, e.g. "nul-bytes-removed" (stable strings)


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode the invalid bytes of an otherwise-UTF-8 file as cp1252 (latin-1 where cp1252 has
    no character): the usual cause is one pasted Windows paragraph in a UTF-8 file."""
    assert isinstance(exc, UnicodeDecodeError)
    chunk = exc.object[exc.start : exc.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in chunk), exc.end


codecs.register_error("peacetalks.cp1252", _cp1252_fallback)


def check_size(size: int, where: str) -> None:
    if size == 0:
        raise RejectedInput(where, EMPTY, "0 bytes")
    if size > MAX_BYTES:
        raise RejectedInput(where, TOO_LARGE, f"{size} bytes > limit {MAX_BYTES}")


def decode_bytes(data: bytes, where: str) -> Decoded:
    """Decode and normalise one file's bytes; RejectedInput(where, reason) if it is not text."""
    check_size(len(data), where)
    if data.startswith(_MAGIC):
        raise RejectedInput(where, BINARY, "file signature of a binary format")
    text, encoding, notes = _decode(data, where)
    # Plain UTF-8 (the text is `data.decode()`): when no byte sequence of a character that
    # normalisation touches occurs and the text is NFC already, normalize_text returns it as is.
    if not (encoding == "utf-8" and not notes and _untouched_utf8(data)
            and unicodedata.is_normalized("NFC", text)):
        text = normalize_text(text)
    if not text or text.isspace():  # (not text.strip(): without copying the page)
        raise RejectedInput(where, EMPTY, "only whitespace or invisible characters")
    return Decoded(text, encoding, tuple(notes))


def _decode(data: bytes, where: str) -> tuple[str, str, list[str]]:
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            text = body.decode(enc, errors="replace")
            notes = ["invalid-bytes-replaced"] if "\ufffd" in text else []
            return text, f"{enc}-bom" if enc != "utf-8" else "utf-8-sig", notes
    notes: list[str] = []
    sample = data[:65536]
    nuls = sample.count(0)
    if nuls:
        utf16 = _sniff_utf16(sample, nuls)
        if utf16:
            try:
                return data.decode(utf16), utf16, notes
            except UnicodeDecodeError:
                raise RejectedInput(where, BINARY, "NUL bytes but not valid UTF-16") from None
        if nuls > len(sample) // 100:
            raise RejectedInput(where, BINARY, f"{nuls} NUL bytes in the first {len(sample)}")
        data = data.replace(b"\x00", b"")
        notes.append("nul-bytes-removed")
        if not data:
            raise RejectedInput(where, EMPTY, "only NUL bytes")
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > max(2, len(sample) // 50):
        raise RejectedInput(where, BINARY, f"{controls} control bytes in the first {len(sample)}")
    try:
        return data.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            try:  # a file cut in the middle of a multi-byte character
                return data[: exc.start].decode("utf-8"), "utf-8", [*notes, "truncated-utf8-repaired"]
            except UnicodeDecodeError:
                pass
    declared = _declared_charset(sample)
    if declared:  # an HTML page that says what it is, and is not UTF-8: believe it
        return data.decode(declared, errors="replace"), declared, [*notes, "declared-charset"]
    high = sum(1 for b in sample if b >= 0x80)
    bad = data.decode("utf-8", errors="replace").count("\ufffd")
    if bad * 2 < high:
        # Mostly valid multi-byte UTF-8 with a few stray bytes: keep UTF-8, read the strays as cp1252.
        text = data.decode("utf-8", errors="peacetalks.cp1252")
        return text, "utf-8", [*notes, "invalid-utf8-repaired"]
    encoding = _guess_legacy(data)
    text = data.decode(encoding, errors="peacetalks.cp1252" if encoding == "cp1252" else "replace")
    return text, encoding, [*notes, "legacy-encoding"]


_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{2,30})", re.I)


def _declared_charset(sample: bytes) -> str | None:
    m = _META_CHARSET.search(sample[:4096])
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name in ("utf-8", "ascii") or name.startswith(("utf-16", "utf-32")):
        return None  # already tried / would mis-decode an 8-bit file
    return "cp1252" if name in ("latin-1", "iso8859-1") else name


def _sniff_utf16(sample: bytes, nuls: int) -> str | None:
    """BOM-less UTF-16 text has a NUL in every other byte (for Latin text)."""
    if nuls < len(sample) // 4:
        return None
    odd = sample[1::2].count(0)
    if odd >= 0.9 * nuls:
        return "utf-16-le"
    if nuls - odd >= 0.9 * nuls:
        return "utf-16-be"
    return None


_LATIN_HIGH = re.compile(r"[\u00c0-\u00ff]")


def _guess_legacy(data: bytes) -> str:
    """cp1252 unless the bytes clearly are another script. charset-normalizer guesses badly on short
    Western text (cp1250, cp775 ...), so it is consulted only when cp1252 output looks like a
    non-Latin script read in the wrong code page: runs of accented letters instead of isolated ones."""
    as1252 = data.decode("cp1252", errors="peacetalks.cp1252")
    letters = _LATIN_HIGH.findall(as1252)
    if len(letters) < 8:
        return "cp1252"
    runs = len(re.findall(r"[\u00c0-\u00ff]{3,}", as1252))
    if runs * 3 < len(letters) / 4:
        return "cp1252"
    best = from_bytes(data[:65536]).best()
    return best.encoding if best is not None else "cp1252"


# ---------------------------------------------------------------------------------------------
# Normalisation

_ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
# Invisible characters that carry no text: zero-width space, word joiner, BOM, soft hyphen,
# Mongolian vowel separator, direction marks/embeddings/isolates, invisible operators.
_ZW_JUNK = "\u200b\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
_TABLE: dict[int, str | None] = {ord(c): " " for c in _ODD_SPACES}
_TABLE.update({ord(c): None for c in _ZW_JUNK})
_TABLE.update({0x2028: "\n", 0x2029: "\n", 0x85: "\n", 0x0B: "\n", 0x0C: "\n"})
_TABLE.update({c: None for c in (*range(0, 9), *range(14, 32), 127)})
for _c in range(0x80, 0xA0):  # stray C1 controls are cp1252 characters read as latin-1
    if _c != 0x85:
        _TABLE[_c] = bytes([_c]).decode("cp1252", errors="ignore") or None

# Approximation of Extended_Pictographic plus emoji modifiers/VS16: a ZWJ is kept only between these.
_EMOJI = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u27bf"
    "\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299\ufe0f\U0001f000-\U0001faff"
)
_NEEDS_TABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE)) + "]")
_NEEDS_TABLE_RUN = re.compile(_NEEDS_TABLE.pattern + "+")


def _translate_run(m: re.Match[str]) -> str:
    return m.group().translate(_TABLE)


_ASCII_ODD = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_LONE_ZWJ = re.compile(f"(?<![{_EMOJI}])\u200d|\u200d(?![{_EMOJI}])")
# ZWNJ is meaningful in Arabic-script and Indic text; elsewhere it is junk.
_LONE_ZWNJ = re.compile("(?<![\u0600-\u06ff\u0750-\u077f\u0900-\u0dff])\u200c")
# A UTF-8 lead byte read as cp1252/latin-1 followed by a continuation byte read the same way:
# the signature of mojibake. Cheap enough to run on every text; ftfy only runs when it matches.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030"
    "\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161"
    "\u203a\u0153\u017e\u0178]"
)
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,  # HTML is parsed later; text dumps keep their characters as written
    uncurl_quotes=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization=None,  # NFC below, after junk removal (removal can create new compositions)
    explain=False,
)


# What `_normalize_once` changes (before NFC): "\r", the translation table, ZWJ, ZWNJ, and text
# where _MOJIBAKE_HINT matches. Both are screened on the UTF-8 bytes (see utf8screen): the hint's
# first characters U+00C2-U+00F4 are C3 82 to C3 B4, and every second character of it is
# non-ASCII, so a first character followed by any non-ASCII byte covers it.
_TOUCHED = Utf8Screen([0x0D, 0x200C, 0x200D, *_TABLE])
_MOJIBAKE_FIRST = range(0xC2, 0xF5)
_MOJIBAKE_START = re.compile(
    b"(?:" + b"|".join(re.escape(chr(c).encode()) for c in _MOJIBAKE_FIRST) + b")[\x80-\xff]"
)


def _untouched_utf8(data: bytes) -> bool:
    """True only if normalize_text(data.decode()) has nothing to do but NFC (False: maybe)."""
    return _TOUCHED.absent(data) and not (b"\xc3" in data and _MOJIBAKE_START.search(data))


def normalize_text(text: str) -> str:
    """Idempotent normalisation: "\\n" line ends, odd spaces → " ", no zero-width junk (emoji ZWJ
    sequences kept), mojibake repaired, NFC. Each step can expose work for another (removing a
    control character can join a mojibake pair), so it runs to a fixed point (almost always 1-2
    passes; the second one only re-checks)."""
    for _ in range(4):
        again = _normalize_once(text)
        if again == text:
            break
        text = again
    return text


def _normalize_once(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return text.translate(_TABLE) if _ASCII_ODD.search(text) else text
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_text(text, _FTFY)
    if _NEEDS_TABLE.search(text):
        # Only the runs that need it go through translate (slow per character on non-ASCII
        # text: ~50 ns, a quarter of a millisecond for a 5 KB page with a few odd spaces).
        text = _NEEDS_TABLE_RUN.sub(_translate_run, text)
    if "\u200d" in text:
        text = _LONE_ZWJ.sub("", text)
    if "\u200c" in text:
        text = _LONE_ZWNJ.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text
