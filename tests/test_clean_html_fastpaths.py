"""The HTML path's speed shortcuts give exactly what the plain code gives.

Shortcuts: a byte-level screen instead of the normalisation regexes when decoding UTF-8, the
language share counted only as far as needed on assembled text, the dedup key of a collapsed
unit, and the page fallbacks for date and copyright searched on the UTF-8 bytes and cut at the
first place a match can start. Each is compared with the plain code it replaced (written out
below) on generated inputs; speed itself is measured in benchmarks/, not here.
"""

from __future__ import annotations

import html as htmllib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peacetalks.html as H
from peacetalks import boilerplate as B
from peacetalks import decode as D
from peacetalks import meta
from peacetalks.clean import _EN_FUNCTION, assembled_language, guess_language, segment
from peacetalks.errors import RejectedInput
from peacetalks.utf8screen import Utf8Screen

PAGES = Path(__file__).parent / "fixtures" / "cleaning" / "pages"
FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
CODE_POINTS = [c for c in range(0x110000) if not 0xD800 <= c < 0xE000]


# --- references: the plain code the shortcuts replaced -----------------------------------------

def ref_decode_bytes(data: bytes, where: str) -> D.Decoded:
    D.check_size(len(data), where)
    if data.startswith(D._MAGIC):
        raise RejectedInput(where, D.BINARY, "magic")
    text, encoding, notes = D._decode(data, where)
    text = D.normalize_text(text)
    if not text.strip():
        raise RejectedInput(where, D.EMPTY, "blank")
    return D.Decoded(text, encoding, tuple(notes))


def ref_date_near_title(page: str, title: str | None) -> str | None:
    iso = H._date_around_title(page, title)  # not a shortcut: shared with the reference
    if iso:
        return iso
    body = page.find("<body")
    m = H._STATED_DATE.search(htmllib.unescape(H._TAGS.sub(" ", page[max(body, 0) : max(body, 0) + 30000])))
    return meta.parse_date(m.group(1)) if m else None


def ref_copyright_holder(page: str) -> str | None:
    tail = page[-6000:]
    if "©" not in tail and "&copy" not in tail and "opyright" not in tail:
        return None
    return meta.copyright_holder(htmllib.unescape(H._TAGS.sub(" ", tail)))


# --- decoding -----------------------------------------------------------------------------------

def test_utf8_screens_are_exact_for_every_code_point() -> None:
    touched = {0x0D, 0x200C, 0x200D, *D._TABLE}
    others = [c for c in range(0x3001) if chr(c).isspace() and chr(c) not in " \n"]
    for chars in (touched, set(others)):
        screen = Utf8Screen(chars)
        wrong = [c for c in CODE_POINTS if screen.absent(f"a“{chr(c)}”b".encode()) != (c not in chars)]
        assert not wrong, [hex(c) for c in wrong[:10]]


def test_mojibake_screen_covers_every_hint() -> None:
    firsts = [c for c in range(0x2000) if D._MOJIBAKE_HINT.match(chr(c) + "\u0080")]
    seconds = [c for c in CODE_POINTS if D._MOJIBAKE_HINT.match("\u00c2" + chr(c))]
    assert firsts == list(D._MOJIBAKE_FIRST) and min(seconds) >= 0x80
    assert not [(a, b) for a in firsts for b in seconds if D._untouched_utf8(f"x{chr(a)}{chr(b)}y".encode())]


ODD_CHARS = ["a", "B", " ", "\n", "\r", "\t", "\x00", "\x0b", "\x1c", "\x7f", "\x85", "\x9d", "\u00a0",
             "\u00ad", "é", "Ã", "©", "â€™", "Ã©", "“", "”", "’", "–", "\u2028", "\u200b", "\u200c",
             "\u200d", "👍\u200d👍", "\u2060", "\ufeff", "\u3000", "e\u0301", "\u212b", "中", "К",
             "\u0627\u200c\u0628", "\u1680", "\u180e", "\u205f", "\u2066"]


@FAST
@given(st.lists(st.sampled_from(ODD_CHARS), max_size=30).map("".join))
def test_decode_fast_path_is_the_normalisation(text: str) -> None:
    data = text.encode("utf-8")
    try:
        want = ref_decode_bytes(data, "t")
    except RejectedInput as exc:
        with pytest.raises(RejectedInput) as got:
            D.decode_bytes(data, "t")
        assert got.value.reason == exc.reason
        return
    assert D.decode_bytes(data, "t") == want
    if D._untouched_utf8(data) and unicodedata.is_normalized("NFC", text):
        assert D.normalize_text(text) == text


# --- language and keys --------------------------------------------------------------------------

WORDS = sorted(_EN_FUNCTION)[:12] + ["The", "OF", "talks", "Σ", "ΟΔΟΣ", "İstanbul", "\u212aey", "“peace”", "x"]
paragraph = st.lists(st.sampled_from(WORDS), max_size=400).map(" ".join)


@FAST
@given(st.lists(paragraph, min_size=1, max_size=10), st.integers(0, 40))
def test_assembled_language_is_guess_language(paras: list[str], shift: int) -> None:
    text = "\n\n".join(paras)
    assert assembled_language(text) == guess_language(text)
    # the 5000-character cut at every kind of place: in a word, after a space, between newlines
    padded = "\n\n".join(["x " * ((4980 + shift) // 2) + "x", *paras])
    assert assembled_language(padded) == guess_language(padded)


def test_assembled_language_at_each_cut_near_a_separator() -> None:
    for n in range(4990, 5006):
        head = ("the x " * 2000)[:n].strip()
        for text in (f"{head}\n\nthe of and", f"{head}\n\n\n\nthe the", f"{head} \n\nz"[: n + 3]):
            text = "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))
            assert assembled_language(text) == guess_language(text), (n, text[-12:])


def _threshold_texts(length: int, shift: int, hits: int) -> list[str]:
    words = ["z" * (shift + 1)] + ["the"] * hits + ["y" * length] * (5200 // (length + 1))
    flat = " ".join(words)
    texts = [flat]
    for at in range(4992, 5004):  # a paragraph break (or an empty paragraph) where the cut is
        space = flat.rfind(" ", 0, at)
        texts += [flat[:space] + "\n\n" + flat[space + 1 :], flat[:space] + "\n\n\n\n" + flat[space + 1 :]]
    return texts


def test_assembled_language_at_the_threshold() -> None:
    """A word count off by one flips the answer here: the number of function words is just at
    15%, and the 5000-character cut falls in every kind of place (in a word, after a space,
    inside a blank line)."""
    for length in range(1, 6):
        for shift in range(2 * length + 4):
            low, high = 0, 5000  # the fewest hits that make the unsplit text English
            while low < high:
                mid = (low + high) // 2
                if guess_language(_threshold_texts(length, shift, mid)[0]) == "en":
                    high = mid
                else:
                    low = mid + 1
            for hits in (low - 1, low, low + 1):
                for text in _threshold_texts(length, shift, hits):
                    assert assembled_language(text) == guess_language(text), (length, shift, hits)


@FAST
@given(st.lists(st.sampled_from(["Home", "the talks", "  ", " ", "\n", "\t", "…", "- ", "•", ".", "Σ",
                                 "\u00a0", "date 2025-05-15 ", "REUTERS"]), max_size=40).map("".join))
def test_keys_of_collapsed_units(text: str) -> None:
    units = segment(text)
    B.classify(units)
    assert [u.key for u in units] == [B.dedup_key(u.text) for u in units]


# --- page fallbacks -----------------------------------------------------------------------------

FRAGMENTS = [
    "<body>", "<BODY class='b'>", "<p>", "</p>", "<b>", "</b>", "<a href='/date/x'>", "</a>",
    "<time datetime='2024-05-01'>", "<span class=\"posted\">", "<", ">", "<!-- date -->", "\n", " ",
    "Published", "UPDATED:", "posted on ", "Date", "update", "May 5, 2024", "2025-01-01", "x",
    "Poſted 2024-02-02", "ı", "İ", "\u212a", "é", "“", "&amp;", "&#100;ate 2023-03-03", "&copy;",
    "&#169; 2022 Dnipro Daily", "©", "(c)", "(C) 2023 Acme News", "Copyright", "COPYRIGHT 2024 Foo Bar",
    "copyright 2021 The Kyiv Ledger. All rights reserved.", "Kyiv Ledger", "Peace talks resume",
    "Peace talks resume</h1><p>By Staff, 12 May 2024", "filler " * 900, "y" * 31000,
]
TITLES = st.sampled_from([None, "", "Peace talks resume", "Kyiv Ledger", "x", "absent title"])


def test_needles_cover_the_searches() -> None:
    assert all(any(n.decode() in k for n in H._DATE_NEEDLES) for k in H._STATED_KEYWORDS)
    assert {n.decode() for n in H._COPYRIGHT_NEEDLES} == {"©", "copyright", "(c)"}  # meta.copyright_holder


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join), TITLES)
def test_page_fallbacks(page: str, title: str | None) -> None:
    enc = H._Encoded(page)
    assert H._date_near_title(page, title, enc) == ref_date_near_title(page, title)
    assert H._date_near_title(page, title) == ref_date_near_title(page, title)
    assert H._copyright_holder(page, enc) == ref_copyright_holder(page)
    assert H._copyright_holder(page) == ref_copyright_holder(page)


@pytest.mark.parametrize("page", [
    "İ<p>&#169; 2022 Dnipro Daily", "İ<p>© 2022 Dnipro Daily</p>", "<p>İ</p><b>(c) 2021 Acme</b>",
    "<body><p>Published 2024-02-02</p>", "<body><i>published</i><p>date 2024-02-02",
    "<body>Poſted 2024-02-02<p>x", "<body>\u212a<p>posted 2024-02-02", "<body><p>&amp; Updated: May 5, 2024",
])
def test_page_fallbacks_on_awkward_pages(page: str) -> None:
    enc = H._Encoded(page)
    assert H._date_near_title(page, None, enc) == ref_date_near_title(page, None)
    assert H._copyright_holder(page, enc) == ref_copyright_holder(page)


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_page_fallbacks_on_the_evaluation_pages(name: str) -> None:
    page = (PAGES / name).read_bytes().decode("utf-8", errors="replace")
    enc = H._Encoded(page)
    for title in (None, H.page_metadata(page)["title"], "the", "Ukraine"):
        assert H._date_near_title(page, title, enc) == ref_date_near_title(page, title)
    assert H._copyright_holder(page, enc) == ref_copyright_holder(page)
    # the same page without its <head> (the copyright tail then starts elsewhere) and made long
    body = page[page.find("<body"):] if "<body" in page else page
    for variant in (body, "<p>filler</p>" * 700 + page, page + "<p>" + "z" * 31000 + "</p>"):
        assert H._date_near_title(variant, None, H._Encoded(variant)) == ref_date_near_title(variant, None)
        assert H._copyright_holder(variant, H._Encoded(variant)) == ref_copyright_holder(variant)
