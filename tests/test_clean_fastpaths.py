"""The cleaner's speed shortcuts give exactly what the plain code gives.

Each shortcut (literal gates before the family regexes, a phrase automaton, a regex line splitter,
candidate-position searches instead of scanning regexes, character-class pre-checks) is compared
with a straightforward reference (the code it replaced) on generated inputs built from the
rules' own words, the evaluation pages and awkward Unicode. Speed itself is measured in
benchmarks/, not here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peacetalks.html as H
from peacetalks import boilerplate as B
from peacetalks import boilerplate_rules as R
from peacetalks.clean import assemble, guess_language, segment
from peacetalks.meta import _YEAR

PAGES = Path(__file__).parent / "fixtures" / "cleaning" / "pages"
FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


# --- references: the plain code the shortcuts replaced -----------------------------------------

def ref_unit_reason(text: str, n_words: int) -> str | None:
    if not R._LETTER.search(text):
        return "no-words"
    sentence = n_words >= 7 and B.is_terminal(text)
    if n_words > R.LONG_UNIT_WORDS:
        return ref_long_unit_reason(text, n_words) or ref_foreign(text)
    tokens = frozenset(R._TOKENS.findall(text.lower()))
    for reason, max_words, pattern in R.FAMILIES:
        if n_words > max_words or (sentence and reason in R._NOT_IN_SENTENCES):
            continue
        triggers = R._TRIGGERS.get(reason)
        if triggers is not None and triggers.isdisjoint(tokens):
            continue
        if reason == "caption~scene" and not R._YEAR_TAIL.search(text[-12:]):
            continue
        if pattern.search(text):
            return reason.split("~")[0]
    if n_words <= 12:
        letters = R._WORD.findall(text)
        lower = [w.lower() for w in letters]
        if all(w in R._NAV_WORDS for w in lower):
            return "navigation"
        if len(R._MENU_SPLIT.split(text)) >= 3 and not B.is_terminal(text):
            return "menu"
        if (n_words >= 5 and not B.is_terminal(text) and all(w[0].isupper() for w in letters)
                and not any(w in R._FUNCTION_WORDS for w in lower)):
            return "menu"
    return ref_foreign(text)


def ref_long_unit_reason(text: str, n_words: int) -> str | None:
    lower = text.lower()
    for reason, max_words, phrases in R._LONG_PHRASES:
        if n_words <= max_words and any(p in lower for p in phrases):
            return reason
    cut = max(text.rfind(". ", 0, len(text) - 2), text.rfind("? ", 0, len(text) - 2))
    tail = (text[cut + 2 :] if cut >= 0 else text)[-300:]
    for reason, max_words, pattern in R.FAMILIES:
        if reason not in R._TAIL_FAMILIES or n_words > max_words:
            continue
        if reason == "caption" and not any(k in tail.lower() for k in R._CREDIT_HINTS):
            continue
        if reason == "caption~scene" and not R._YEAR_TAIL.search(text[-12:]):
            continue
        if reason == "bio" and not any(k in text[:80] for k in (
                " is ", " was ", " covers ", " has been ", " reports on ", " writes on ", " reports about ",
                " writes about ")):
            continue
        if pattern.search(text[:160] if reason == "bio" else tail):
            return reason.split("~")[0]
    return None


def ref_foreign(text: str) -> str | None:
    if not text.isascii() and R._NON_LATIN_LETTER.search(text):
        if len(R._NON_LATIN_LETTER.findall(text)) * 2 > len(R._LETTER.findall(text)):
            return "foreign-script"
    return None


def ref_segment(text: str) -> list[tuple[str, int, int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + len(line) - len(line.lstrip())
            out.append((stripped, start, start + len(stripped), len(stripped.split())))
        pos += len(line) + 1
    return out


# --- inputs -------------------------------------------------------------------------------------

def _rule_words() -> list[str]:
    words = [p for _, _, phrases in R._LONG_PHRASES for p in phrases]
    words += [w for gate in R._GATES.values() for w in gate] + sorted(R._NAV_WORDS)[:60]
    words += [w for v in R._TRIGGERS.values() for w in v]
    for _, _, pattern in R.FAMILIES:  # literal pieces of the regexes themselves
        words += [x for x in re.split(r"[\\()\[\]?*+{}|^$]", pattern.pattern) if x.strip()][:40]
    prose = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(PAGES.glob("*.txt")))
    return words + prose.split()[:800]


WORDS = _rule_words()
ODD = ["İ", "ı", "ſ", "\u212a", "©", "“", "”", "’", "(", ")", "/", ":", "|", "2025", "May 15, 2025",
       "é", "К", "中", "ª", "²", "\u00a0", "\t", "  ", "\u2028", "\u200b"]
piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS).map(str.upper),
                  st.sampled_from(WORDS).map(str.title), st.sampled_from(ODD))
units = st.lists(piece, min_size=1, max_size=40).map(" ".join)


@FAST
@given(units, st.booleans())
def test_unit_reason_is_the_plain_rule_loop(text: str, collapse: bool) -> None:
    text = " ".join(text.split()) if collapse else text.strip() or "x"
    n = len(text.split())
    assert B.unit_reason(text, n) == ref_unit_reason(text, n)
    assert B.unit_reason(text, n, text.lower()) == ref_unit_reason(text, n)


def _known_lines() -> list[str]:
    """Every line of the evaluation pages, their must-drop snippets, and each gate literal and
    long phrase on its own and inside short and long sentences."""
    lines = [line for page in sorted(PAGES.iterdir())
             for line in page.read_text(encoding="utf-8", errors="replace").splitlines()]
    expected = yaml.safe_load((PAGES.parent / "expected.yaml").read_text(encoding="utf-8"))
    lines += [s for want in expected.values() for s in want["drop"] + want["keep"]]
    literals = [w for gate in R._GATES.values() for w in gate]
    literals += [p for _, _, phrases in R._LONG_PHRASES for p in phrases]
    filler = "the talks in Istanbul went on for hours and the delegations met again later that day"
    for w in literals:
        lines += [w, w.upper(), w.title(), f"Please {w} now", f"{w} us today at 10:30",
                  f"{filler} {w} {filler}.", f"{filler}. {w} Reuters", f"Photo: {w} 2025"]
    return [line.strip() for line in lines if line.strip()]


def test_unit_reason_on_known_lines() -> None:
    for t in _known_lines():
        assert B.unit_reason(t, len(t.split())) == ref_unit_reason(t, len(t.split())), t


@FAST
@given(st.lists(st.sampled_from(["a", "Bc", " ", "  ", "\n", "\n\n", "\t", "\r", "\x0b", "\x1c",
                                 "\x85", "\u00a0", "\u2028", "\u3000", "é", "."]), max_size=30).map("".join))
def test_segment_is_the_line_split(text: str) -> None:
    got = [(u.text, u.start, u.end, u.n_words) for u in segment(text)]
    if len(got) < 4:  # (hard-wrap joining only starts at 4 lines; it is not what is tested here)
        assert got == ref_segment(text)
    for u in segment(text):
        assert u.collapse() == " ".join(u.text.split())


def test_segment_is_linear_on_long_blank_runs() -> None:
    units = segment(" " * 200_000 + "\n" + ("x" + " " * 50_000 + "\n") * 4 + " \n" * 50_000)
    assert [u.text for u in units] == ["x"] * 4


@FAST
@given(st.lists(st.lists(st.sampled_from(["the", "of", "and", "talks", "Σ", "İstanbul", "ΟΔΟΣ", "“peace”",
                                          "2025", "a", "x"]), min_size=1, max_size=300), min_size=1,
                max_size=8))
def test_assemble_and_language(paras: list[list[str]]) -> None:
    kept = [B.Unit(" ".join(p), 0, 0, spaces_only=True) for p in paras]
    text, _ = assemble(kept)
    assert text == "\n\n".join(" ".join(p) for p in paras)
    words = text[:5000].lower().split()
    want = "en" if sum(w in {"the", "of", "and", "a"} for w in words) >= 0.15 * len(words) else "und"
    assert guess_language(text) == want


def test_character_class_shortcuts_cover_every_code_point() -> None:
    chars = [chr(c) for c in range(0x110000)]
    # the characters re.IGNORECASE equates with ASCII letters, other than A-Z themselves
    folds = {c for c in chars[128:] if re.fullmatch("(?i)[a-z]", c)}
    assert folds == set(R._FOLDS_TO_ASCII)
    # the pre-check of _foreign never skips a character that _NON_LATIN_LETTER matches
    assert not [c for c in chars if R._NON_LATIN_LETTER.match(c) and not B._MAYBE_NON_LATIN.match(c)]
    # _OTHER_SPACE is every whitespace character but " " and "\n"
    from peacetalks.clean import _OTHER_SPACE
    assert {c for c in chars if _OTHER_SPACE.match(c)} == {c for c in chars if c.isspace()} - {" ", "\n"}


@FAST
@given(st.lists(st.sampled_from(["1", "2", "9", "0", "19", "20", "2025", " ", "a", "١", "x1"]),
                max_size=12).map("".join))
def test_year_regex(text: str) -> None:
    plain = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
    assert [m.span() for m in _YEAR.finditer(text)] == [m.span() for m in plain.finditer(text)]


@FAST
@given(st.lists(st.sampled_from(["<article>", "<ARTICLE class='x'>", "<main>", "<Main>", "<mainx>",
                                 "</article>", "</ARTICLE >", "</main>", "</MAIN\n>", "</maın>",
                                 "<maİn>", "</maİn>", "<articles>", "text", "<h1>T</h1>", "</article",
                                 "<artıcle>"]), max_size=10).map("".join))
def test_main_region(page: str) -> None:
    m = H._REGION.search(page)
    assert H._main_region(page) == (m.group() if m else None)


@FAST
@given(st.lists(st.sampled_from(["published", "Published", "UPDATED", "posted", "date", "Date:",
                                 "candidate", " on ", "\n", ":", " ", "May 5, 2024", "2025-01-01",
                                 "x", "Poſted", "İ", "\u212a", "upDATEd", "datedate"]),
                max_size=12).map("".join))
def test_stated_date_search(text: str) -> None:
    a, b = H._STATED_DATE.search(text), H._first_stated_date(text)
    assert (a and (a.span(), a.group(1))) == (b and (b.span(), b.group(1)))


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_html_shortcuts_on_the_evaluation_pages(name: str) -> None:
    page = (PAGES / name).read_bytes().decode("utf-8", errors="replace")
    m = H._REGION.search(page)
    assert H._main_region(page) == (m.group() if m else None)
    text = H.htmllib.unescape(H._TAGS.sub(" ", page))
    a, b = H._STATED_DATE.search(text), H._first_stated_date(text)
    assert (a and a.span()) == (b and b.span())
