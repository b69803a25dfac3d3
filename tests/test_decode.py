"""Decoding and Unicode normalisation (peacetalks.decode)."""

from __future__ import annotations

import codecs
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peacetalks.decode import MAX_BYTES, check_size, decode_bytes, normalize_text
from peacetalks.errors import RejectedInput

TEXT = "Rubio said the talks were \u201cconstructive\u201d \u2014 Zelensky\u2019s office agreed. Caf\u00e9 d\u00e9j\u00e0 vu.\n"
ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
ZW_JUNK = "\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a\u202c\u2066\u2069"
FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"  # one emoji made of three, joined by ZWJ


@pytest.mark.parametrize(
    "data, encoding",
    [
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le-bom"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be-bom"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le-bom"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM: recognised by its NUL pattern
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-8"), "utf-8"),
    ],
)
def test_unicode_encodings_decode_to_the_same_text(data: bytes, encoding: str) -> None:
    d = decode_bytes(data, "f.txt")
    assert d.text == TEXT
    assert d.encoding == encoding


def test_cp1252_legacy_file_is_detected() -> None:
    d = decode_bytes(TEXT.encode("cp1252"), "f.txt")
    assert d.text == TEXT and d.encoding == "cp1252" and d.notes == ("legacy-encoding",)


def test_latin1_file_is_read_as_cp1252_superset() -> None:
    s = "Le ministre fran\u00e7ais a d\u00e9clar\u00e9 que la r\u00e9union \u00e9tait utile.\n"
    assert decode_bytes(s.encode("latin-1"), "f.txt").text == s


def test_cyrillic_code_page_is_not_mistaken_for_cp1252() -> None:
    s = "Песков заявил, что переговоры в Стамбуле продолжатся на следующей неделе.\n" * 2
    d = decode_bytes(s.encode("cp1251"), "f.txt")
    assert d.text == s and d.encoding == "cp1251"


def test_declared_html_charset_is_believed_when_not_utf8() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>B\u00fcrgenstock \u2013 \u201cyes\u201d</p></body></html>'
    d = decode_bytes(page.encode("cp1252"), "p.html")
    assert d.text == page and d.encoding == "cp1252"


def test_stray_cp1252_bytes_in_utf8_are_repaired() -> None:
    data = TEXT.encode("utf-8") + "He said \u201cno\u201d.\n".encode("cp1252") + TEXT.encode("utf-8")
    d = decode_bytes(data, "f.txt")
    assert d.text == TEXT + "He said \u201cno\u201d.\n" + TEXT
    assert "invalid-utf8-repaired" in d.notes


def test_truncated_utf8_tail_is_dropped_with_a_note() -> None:
    data = TEXT.encode("utf-8") + "\u2019".encode("utf-8")[:2]
    d = decode_bytes(data, "f.txt")
    assert d.text == TEXT and d.notes == ("truncated-utf8-repaired",)


def test_mojibake_is_repaired() -> None:
    broken = TEXT.encode("utf-8").decode("cp1252", errors="peacetalks.cp1252")
    assert "\u00e2\u20ac" in broken  # the classic "â€" signature
    assert decode_bytes(broken.encode("utf-8"), "f.txt").text == TEXT


def test_line_ends_spaces_zero_width_and_nfc() -> None:
    raw = f"a{ODD_SPACES}b\r\nc\rd{ZW_JUNK}e\u2028f e\u0301 {FAMILY} x\u200dy\t!"
    out = normalize_text(raw)
    assert out == f"a{' ' * len(ODD_SPACES)}b\nc\nde\nf \u00e9 {FAMILY} xy !"


def test_few_nul_bytes_are_removed_many_are_binary() -> None:
    d = decode_bytes(TEXT.encode() * 20 + b"\x00" + TEXT.encode(), "f.txt")
    assert "\x00" not in d.text and d.notes == ("nul-bytes-removed",)
    with pytest.raises(RejectedInput) as exc:
        decode_bytes(b"\x00\x01\x02\x03abc\x00\x00\x00" * 200, "blob.bin")
    assert exc.value.reason == "binary" and exc.value.where == "blob.bin"


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, b"%PDF-1.7\n1 0 obj", b"PK\x03\x04rest"])
def test_binary_signatures_are_rejected(data: bytes) -> None:
    with pytest.raises(RejectedInput) as exc:
        decode_bytes(data, "x.txt")
    assert exc.value.reason == "binary"


def test_empty_and_invisible_only_inputs_are_rejected() -> None:
    for data in (b"", b"   \n\t \r\n", "\u200b\ufeff\u00a0".encode()):
        with pytest.raises(RejectedInput) as exc:
            decode_bytes(data, "e.txt")
        assert exc.value.reason == "empty"


def test_size_limit() -> None:
    check_size(MAX_BYTES, "ok.txt")
    with pytest.raises(RejectedInput) as exc:
        check_size(MAX_BYTES + 1, "big.txt")
    assert exc.value.reason == "too-large" and "big.txt" in str(exc.value)


_JUNK_RE = re.compile(f"[{ZW_JUNK}\u200c{ODD_SPACES}\r]")
_EMOJI_CHARS = st.sampled_from(["\U0001F468", "\U0001F469", "\u2764", "\ufe0f", "\U0001F3FB"])
_ALPHABET = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(list(ODD_SPACES + ZW_JUNK + "\u200d\u200c\r\n\t")),
    _EMOJI_CHARS,
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_normalize_is_idempotent_and_clean(s: str) -> None:
    once = normalize_text(s)
    assert normalize_text(once) == once
    assert not _JUNK_RE.search(once)
    for m in re.finditer("\u200d", once):  # a surviving ZWJ sits inside an emoji sequence
        assert m.start() > 0 and m.end() < len(once)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=200))
def test_decoding_utf8_equals_normalising_the_string(s: str) -> None:
    if not normalize_text(s).strip():
        return
    assert decode_bytes(s.encode("utf-8"), "h.txt").text == normalize_text(s)
