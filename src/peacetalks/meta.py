"""Document metadata stated by the page itself: date, dateline, publisher, title.

Conservative by design: a value is returned only when the page states it in a recognisable
place (a header line, a dateline opener, a credit or copyright line, page metadata); otherwise
None. Nothing is inferred from a URL, a file name or a date that merely occurs in a sentence.
"""

from __future__ import annotations

import re
from datetime import date

from .boilerplate import Unit, is_terminal

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun",
         "july jul", "august aug", "september sep sept", "october oct", "november nov",
         "december dec")
    )
    for m in names.split()
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, str, str]], ...] = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\b"), ("y", "m", "d")),
    (re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b"), ("y", "m", "d")),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I), ("d", "M", "y")),
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), ("M", "d", "y")),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"), ("d", "m", "y")),  # European dotted dates
)

# A header line that announces a date, e.g. " date 2025-05-15", "Published: May 15, 2025".
_DATE_HEADER = re.compile(
    r"^\s*(?:date|dated|published|posted|updated|last updated|first published|publication date)"
    r"(?:\s+on)?\s*[:\-]?\s*", re.I
)


# A year not inside a longer number: (?<!\d)(?:19|20)\d\d(?!\d), with the look-behind moved past
# the first digit so that the regex starts with a literal and `re` can skip to candidate digits
# (3x faster; same matches).
_YEAR = re.compile(r"(?:1(?<!\d1)9|2(?<!\d2)0)\d\d(?!\d)")


def parse_date(text: str) -> str | None:
    """The first complete (day, month, year) date in `text` as ISO YYYY-MM-DD, else None.
    Only the surroundings of a year are examined (month-name patterns are slow on long text)."""
    for year in list(_YEAR.finditer(text))[:8]:
        iso = _parse_window(text[max(0, year.start() - 32) : year.end() + 22])
        if iso:
            return iso
    return None


def _parse_window(text: str) -> str | None:
    for pattern, order in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        parts = dict(zip(order, m.groups()))
        month = _MONTHS[parts["M"].lower()] if "M" in parts else int(parts["m"])
        try:
            return date(int(parts["y"]), month, int(parts["d"])).isoformat()
        except ValueError:
            continue
    return None


def take_header_date(unit: Unit) -> str | None:
    """A leading "date YYYY-MM-DD" style header glued to a line: return the date and cut the
    header (and only the header) off the unit so the rest of the line is judged on its own."""
    m = _DATE_HEADER.match(unit.text)
    if not m:
        return None
    rest = unit.text[m.end() :]
    for pattern, _ in _DATE_PATTERNS:
        d = pattern.match(rest)
        if d:
            iso = parse_date(d.group())
            if iso is None:
                return None
            cut = m.end() + d.end()
            cut += len(unit.text[cut:]) - len(unit.text[cut:].lstrip(" ,.|-–—"))
            unit.text = unit.text[cut:]
            unit.start += cut
            unit.n_words = len(unit.text.split())
            if not unit.text:
                unit.drop = "date-line"
            return iso
    return None


# The date a copy was made ("Printed on 17 March 2025", "Accessed 2 May 2025"): a print or
# reader-mode header, not the date of the article.
_COPY_DATE = re.compile(r"^\W*(?:printed|accessed|retrieved|downloaded|saved|archived|exported|generated)\b", re.I)


def is_copy_date(text: str) -> bool:
    return _COPY_DATE.match(text) is not None


# Wire agencies and syndicators whose name on a line of its own is a source credit.
_AGENCY_NAMES = (
    "Reuters|AFP|Agence France-Presse|AP|Associated Press|Bloomberg|Anadolu Agency|Anadolu|dpa|EFE|"
    "ANSA|Xinhua|TASS|RIA Novosti|Interfax|Interfax-Ukraine|Ukrinform|UNIAN|Kyodo|Yonhap|PTI|ANI|"
    "IANS|MENAFN|Sputnik|CNN Wire|BBC Monitoring"
)
_CREDIT_LINE = re.compile(
    rf"^(?:(?:by|source|via|from|credit)\s*:?\s*|[—–-]\s*)?({_AGENCY_NAMES})(?:\s+(?:staff|reporters?|wire))?\.?$",
    re.I,
)
_SOURCE_LINE = re.compile(r"^source\s*:\s*([A-Z][\w&.'’-]*(?:\s+[A-Z&][\w&.'’-]*){0,5})\.?$")
_COPYRIGHT = re.compile(
    r"(?:©|\bcopyright\b)\s*(?:©\s*|\(c\)\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*"
    r"((?:The )?[A-Z][\w&'’-]*(?:\.[A-Za-z]{2,})?(?:\s+(?:[A-Z&][\w&'’-]*|of|for|and)){0,5})",
    re.I,
)
_CANONICAL = {n.lower(): n for n in _AGENCY_NAMES.split("|")}


def credit_publisher(text: str) -> str | None:
    """"Reuters" or "Source: Kyiv Ledger" on a line of its own: the stated source of the story."""
    m = _CREDIT_LINE.match(text)
    if m:
        return _CANONICAL.get(m.group(1).lower(), m.group(1))
    m = _SOURCE_LINE.match(text)
    return m.group(1) if m else None


def copyright_holder(text: str) -> str | None:
    lower = text.lower()
    hits = [i for i in (lower.find("©"), lower.find("copyright"), lower.find("(c)")) if i >= 0]
    if not hits:
        return None
    m = _COPYRIGHT.search(text, min(hits), min(hits) + 160)
    if not m:
        return None
    name = re.sub(r"\s+(?:All|Ltd|Inc|LLC|GmbH|Limited|and|of|for)\.?$", "", m.group(1).strip(" .,"))
    if name.lower() in {"all", "the", "copyright", "rights", "reserved"} or not name[:1].isupper():
        return None
    return name


# Capital letters of the Latin script: datelines are printed in capitals, diacritics included
# ("BOGOTÁ –", "ŁÓDŹ —").
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x180)) if c.isupper())
# A place in capitals: one to three words ("SAN JOSE", "BANJA-LUKA").
_PLACE = r"[A-Z][A-Z'’.-]{2,}(?:[ -][A-Z][A-Z'’.-]+){0,2}".replace("A-Z", _UPPER)
# "KYIV, Ukraine, May 15, 2025 (Reuters) —", "ANTALYA —", "(MENAFN)": a dateline opener; and the
# agency style in ordinary case, "Tbilisi (MPA) -", "Berlin (dpa) -", where the agency in
# parentheses followed by a dash is what makes it a dateline.
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE}(?:,\s*[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+)?)?)"
    r"(?:,?\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}(?:\s+\d{4})?))?"
    r"(?:\s*\((?P<pub>[A-Z][\w&.'’-]*(?:\s[A-Z][\w&.'’-]*){0,3})\))?\s*[—–-]+\s+"
    r"|^\((?P<pub2>[A-Z][\w&.'’-]*(?:\s[A-Z][\w&.'’-]*){0,3})\)\s*[—–-]*\s*"
    rf"|^(?P<place2>{_PLACE})\s*\((?P<pub3>[A-Z][\w&.'’-]*(?:\s[A-Z][\w&.'’-]*){{0,3}})\)\s*[—–-]*\s*"
    rf"|^(?P<place3>[{_UPPER}][^\W\d_]+(?:[ -][{_UPPER}][^\W\d_]+)?)\s*"
    r"\((?P<pub4>[a-z]{2,5}|[A-Z][\w&.'’-]*(?:\s[A-Z][\w&.'’-]*)?)\)\s*[—–-]+\s+"
)
_STANDALONE_DATELINE = re.compile(rf"^{_PLACE}(?:,\s*[A-Z][\w'’.-]+)?$")
_NOT_PLACES = frozenset(
    "BREAKING EXCLUSIVE LIVE UPDATE UPDATED ANALYSIS OPINION VIDEO WATCH NEWS WORLD EUROPE "
    "POLITICS COMMENT FEATURE EDITORIAL INTERVIEW PHOTOS ADVERTISEMENT MENU HOME SEARCH SHARE "
    "CHOOSE YOUR LANGUAGE".split()
)


def split_dateline(unit: Unit) -> tuple[str | None, str | None, str | None]:
    """Cut a dateline opener off the first paragraph; returns (place, publisher, iso date)."""
    m = _DATELINE.match(unit.text)
    if not m or len(unit.text) - m.end() < 20:
        return None, None, None
    place = m.group("place") or m.group("place2") or m.group("place3")
    if place and place.split(",")[0].strip() in _NOT_PLACES:
        return None, None, None
    pub = m.group("pub") or m.group("pub2") or m.group("pub3") or m.group("pub4")
    if pub and pub.split()[0] in {"From", "L", "R", "Photo", "File", "Updated"}:
        return None, None, None
    iso = parse_date(m.group("date")) if m.group("date") else None
    unit.text = unit.text[m.end() :]
    unit.start += m.end()
    unit.n_words = len(unit.text.split())
    return place, pub, iso


def standalone_dateline(unit: Unit) -> str | None:
    if unit.n_words > 3 or not _STANDALONE_DATELINE.match(unit.text):
        return None
    if any(w.strip(",") in _NOT_PLACES for w in unit.text.split()):
        return None
    return unit.text


# A run of spaces inside a line: columns ("SITE NAME        Press Release 41/2025"), a running
# header or a table row of a PDF-to-text copy; never a line of a wrapped paragraph or a headline.
COLUMN_GAP = "    "


_TITLE_SKIP = frozenset(
    {"byline", "timestamp", "caption", "credits", "credit", "bio", "navigation", "menu", "advertisement",
     "consent", "error-page", "legal", "contact", "contact-block", "subscription", "promo", "comments",
     "no-words", "foreign-script", "date-line", "duplicate", "related", "fragment",
     "page-number", "end-notes", "email-header", "copy-note"}
)


# "Press Centre / Statements", "Home > World > Europe": a breadcrumb path, not a headline.
_BREADCRUMB = re.compile(r"\S \s*(?:/|>|»|›)\s+\S")


def pick_title(units: list[Unit], main_start: int, window: int = 12) -> int | None:
    """Index of the headline among the units before the article: a short non-sentence line.
    Score: longer lines win over name/section lines (capped), a line the page prints more than
    once (headline reused in breadcrumbs/share blocks) wins, nearer to the article wins ties."""
    best: tuple[float, int] | None = None
    seen = 0
    after = {u.key for u in units[main_start:] if u.drop == "repeated"}
    for i in range(main_start - 1, -1, -1):
        u = units[i]
        if u.drop in _TITLE_SKIP or not 3 <= u.n_words <= 30:
            continue
        if u.text.rstrip("\"'”’)»").endswith(".") and not u.text.endswith("..."):
            continue
        if standalone_dateline(u) or COLUMN_GAP in u.text:
            continue
        # a line printed again after the article (masthead in the footer) is the site's name
        copied = u.drop == "repeated" and u.key not in after
        score = min(u.n_words, 12) + (6 if copied else 0) - 0.25 * seen
        if u.text.isupper():  # mastheads and section banners shout; headlines rarely do
            score -= 6
        prev = units[i - 1] if i > 0 else None
        if (prev is not None and prev.drop not in _TITLE_SKIP and 3 <= prev.n_words <= 30
                and not prev.text.isupper() and not _BREADCRUMB.search(prev.text)):
            score -= 4  # right under another headline-like line: the standfirst/dek, not the headline
        seen += 1
        if best is None or score > best[0]:
            best = (score, i)
        if seen >= window:
            break
    return best[1] if best else None


_HEADER_SEPARATORS = (" - ", " | ", " – ", " — ", " · ", " :: ")
RUNNING_HEADER_MAX_WORDS = 5  # the site's name printed with the headline


def running_header(key: str, title_key: str) -> bool:
    """"Meridian Policy Review - <headline>" (or "<headline> | Site") repeated at each page break
    of a printed copy: the headline with a short affix set off by a separator (dedup keys)."""
    if len(key) <= len(title_key) or len(title_key) < 12:
        return False
    if key.endswith(title_key):
        affix, ends = key[: -len(title_key)], str.endswith
    elif key.startswith(title_key):
        affix, ends = key[len(title_key) :], str.startswith
    else:
        return False
    return (any(ends(affix, sep) for sep in _HEADER_SEPARATORS)
            and len(affix.split()) <= RUNNING_HEADER_MAX_WORDS + 1 and not any(map(affix.__contains__, ".!?")))


def looks_like_heading(unit: Unit) -> bool:
    return unit.n_words <= 15 and not is_terminal(unit.text)
