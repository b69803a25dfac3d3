"""HTML pages: trafilatura finds the main content, then the text-dump rules apply to its lines.

trafilatura runs without its metadata stage (htmldate and friends cost more than the whole
extraction on some pages); the few metadata we need (headline, date, publisher) are read here
from the page's own declarations with cheap regular expressions. Paragraph provenance is mapped
back into the raw HTML by `align.locate_paragraphs`.
"""

from __future__ import annotations

import functools
import html as htmllib
import json
import re

import trafilatura
from trafilatura.settings import Extractor

from . import meta
from .align import locate_paragraphs
from .boilerplate_rules import has_ascii_folds
from .clean import NO_ARTICLE, Cleaned, assemble, assembled_language, clean_units, segment
from .errors import RejectedInput


_META_TAG = re.compile(r"<meta\s[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")


def _meta_tags(page: str) -> dict[str, str]:
    """{name/property/itemprop (lower case): content} of the page's <meta> tags, in one pass
    over the head (meta tags in the body are rare and never the article's own)."""
    end = page.find("</head")
    head = page[: end if end >= 0 else 200_000]
    out: dict[str, str] = {}
    for tag in _META_TAG.findall(head):
        attrs = {k.lower(): v[1:-1] if v[:1] in "\"'" else v for k, v in _ATTR.findall(tag)}
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content", "").strip()
        if key and content:
            out.setdefault(key.lower(), _text(content))
    return out


def _first(tags: dict[str, str], *names: str) -> str | None:
    return next((tags[n.lower()] for n in names if tags.get(n.lower())), None)


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())


def _json_ld(page: str) -> list[dict]:
    out: list[dict] = []
    for m in re.finditer(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", page, re.I | re.S):
        try:
            data = json.loads(m.group(1))
        except ValueError:
            continue  # broken JSON-LD is common on real pages; it is only a hint
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                out.append(item)
                stack.extend(v for v in item.get("@graph", []) if isinstance(v, dict))
    return out


def page_metadata(page: str) -> dict[str, str | None]:
    """Headline, publication date and publisher as the page declares them (None if it does not)."""
    tags = _meta_tags(page)
    ld = [d for d in _json_ld(page) if "headline" in d or "datePublished" in d] if "ld+json" in page else []
    site = _first(tags, "og:site_name", "publisher", "application-name")
    for d in ld:
        pub = d.get("publisher")
        if site is None and isinstance(pub, dict) and isinstance(pub.get("name"), str):
            site = pub["name"].strip() or None
    title = _first(tags, "og:title", "twitter:title")
    if title is None:
        ld_title = next((d["headline"] for d in ld if isinstance(d.get("headline"), str)), None)
        title = ld_title
    if title is None:
        region = _main_region(page)
        title = _headline_h1(region if region is not None else page, page)
    if title is None:
        title = _title_tag(page)
    if title:
        title = _strip_site_suffix(title, site, page)
    raw_date = _first(
        tags, "article:published_time", "og:published_time", "datePublished", "pubdate",
        "publish-date", "date", "dc.date", "DC.date.issued", "sailthru.date", "parsely-pub-date",
    )
    if raw_date is None:
        raw_date = next((d["datePublished"] for d in ld if isinstance(d.get("datePublished"), str)), None)
    if raw_date is None:
        t = re.search(r"<time\b[^>]*datetime\s*=\s*[\"']([^\"']+)", page, re.I)
        raw_date = t.group(1) if t else None
    return {
        "title": title or None,
        "date": meta.parse_date(raw_date) if raw_date else None,
        "publisher": site,
    }


_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.I | re.S)


def _title_tag(page: str) -> str | None:
    t = re.search(r"<title\b[^>]*>(.*?)</title\s*>", page, re.I | re.S)
    return _text(t.group(1)) if t else None


def _headline_h1(scope: str, page: str) -> str | None:
    """The first <h1> of `scope`; when there are several (old templates put the site's logo in
    an <h1> too), the longest one that the <title> contains: the title is the headline plus
    the site's name, so the logo is the shorter of the two."""
    first = _H1.search(scope)
    if first is None:
        return None
    second = _H1.search(scope, first.end())
    if second is None:
        return _text(first.group(1)) or None
    h1s = [h for h in (_text(m.group(1)) for m in _H1.finditer(scope)) if h]
    tag = " ".join((_title_tag(page) or "").lower().split())
    inside = [h for h in h1s if h.lower() in tag]
    return max(inside, key=len) if inside else (h1s[0] if h1s else None)


_REGION = re.compile(r"<(article|main)\b.*?</\1\s*>", re.I | re.S)
_REGION_OPEN = re.compile(r"<(article|main)\b", re.I)
_REGION_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("article", "main")}


def _main_region(page: str) -> str | None:
    """`_REGION.search(page).group()`: the first <article>/<main> element's markup, found by
    searching for its closing tag instead of the regex's lazy `.*?`, which tries the closing
    tag at every character of the article (~25 ns each). Exact: the case-insensitive closing
    tag regex matches whatever the back-reference matches; they differ only on non-ASCII
    letters in the tag names, and then the original regex decides."""
    for opening in _REGION_OPEN.finditer(page):
        name = opening.group(1)
        closing = _REGION_CLOSE[name.lower()].search(page, opening.end()) if name.isascii() else None
        if closing is not None and closing.group().isascii():
            return page[opening.start() : closing.end()]
        if closing is not None or not name.isascii():
            m = _REGION.match(page, opening.start())
            if m:
                return m.group()
    return None


def _strip_site_suffix(title: str, site: str | None, page: str = "") -> str:
    """"Headline | Site" / "Headline - Site Name": drop the site part (a short capitalised tail).
    "KPA - Headline" / "Site | Headline": a prefix is dropped only when it is the site's stated
    name, or an acronym that the page shows to be its own (see `_own_acronym`): "Gaza - Israel
    and Hamas agree to truce" keeps its place name, "UN - Security Council votes ..." its subject."""
    for sep in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if not found or not head:
            continue
        words = tail.split()
        if tail.strip() == site or (
            len(words) <= 4 and len(head.split()) >= 4 and all(w[:1].isupper() or not w[:1].isalpha() for w in words)
        ):
            return head.strip()
    for sep in _TITLE_SEPARATORS:
        head, found, tail = title.partition(sep)
        head, tail = head.strip(), tail.strip()
        if found and len(tail.split()) >= 4 and (
                head == site or _ACRONYM.fullmatch(head) and _own_acronym(head, tail, site, page)):
            return tail
    return title


_ACRONYM = re.compile(r"[A-Z]{2,6}")  # "KPA", "AFP": an agency's or site's initials
_TITLE_SEPARATORS = (" | ", " - ", " — ", " – ", " :: ")


def _own_acronym(acronym: str, headline: str, site: str | None, page: str) -> bool:
    """Is "KPA" in "KPA - <headline>" the page's own name? Yes when it is the initials of the
    stated site name, when the page signs its news with it as an agency ("BERLIN, April 9
    (KPA) -", "(KPA/mr)") or a copyright line names it, or when the page prints the headline
    without it (the headline's other copies carry no prefix). "United Nations (UN)" in a
    sentence, or the headline printed with its "UN - ", says nothing of the kind."""
    if site and "".join(w[0] for w in site.split() if w[:1].isupper()) == acronym:
        return True
    body = page[max(page.find("<body"), 0) :]
    if re.search(rf"\({acronym}(?:\)\s*[-–—]|/)|(?:©|&copy;|\b(?i:copyright)\b)[^<]{{0,30}}\b{acronym}\b", body):
        return True
    return body.count(headline) > sum(body.count(acronym + sep + headline) for sep in _TITLE_SEPARATORS)


_STATED_DATE = re.compile(r"(?:published|updated|posted|date)\s*:?\s*(?:on\s+)?(.{6,40})", re.I)
_STATED_KEYWORDS = ("published", "updated", "posted", "date")  # the alternatives of _STATED_DATE
_TAGS = re.compile(r"<[^>]*>")


# Tags that break a page into lines (block elements); inline ones (<a>, <time>, <span>, <b>...)
# stay inside the line they are part of.
_BLOCK_TAG = re.compile(r"<(?!/?(?:a|abbr|b|em|font|i|small|span|strong|sub|sup|time|u)\b)[^>]*>", re.I)
DATE_LINE_MAX_WORDS = 14  # as the "timestamp" family: a date line, not a sentence that quotes a date


def _short_lines(fragment: str) -> str:
    """The text of `fragment`'s short lines (block elements of at most DATE_LINE_MAX_WORDS
    words), joined by spaces: bylines and date lines, not the article's sentences."""
    pieces = _BLOCK_TAG.split(fragment)
    lines = (" ".join(htmllib.unescape(_TAGS.sub(" ", piece)).split()) for piece in pieces)
    return " ".join(t for t in lines if t and t.count(" ") < DATE_LINE_MAX_WORDS)


def _date_around_title(page: str, title: str | None) -> str | None:
    """A date on a short line right under the headline (a byline, "Posted: ..."), else right
    above it (a document number and date over a press release's headline). A date in a sentence
    of the article ("extended the mandate until 31 May 2026") is not the page's date."""
    body = max(page.find("<body"), 0)
    at = page.find(title, body) if title else -1
    if at < 0:
        return None
    end = at + len(title)
    return (meta.parse_date(_short_lines(page[end : end + 1500])[:400])
            or meta.parse_date(_short_lines(page[max(body, at - 600) : at])[-400:]))


def _date_near_title(page: str, title: str | None, enc: _Encoded | None = None) -> str | None:
    """A date printed right under the headline (bylines, "Posted: ...") when the page declares
    none in its metadata; the extractor usually drops those lines."""
    iso = _date_around_title(page, title)
    if iso:
        return iso
    body = page.find("<body")
    start = max(body, 0)
    window = page[start : start + 30000]
    if enc is None or has_ascii_folds(window):
        m = _first_stated_date(htmllib.unescape(_TAGS.sub(" ", window)))
    else:  # only the window's text from the first place a keyword can start
        b_start = enc.raw.find(b"<body") if body >= 0 else 0
        b_end = len(enc.raw) if start + 30000 >= len(page) else b_start + len(_utf8(window))
        text = enc.text_from_first(b_start, b_end, _DATE_NEEDLES)
        m = _first_stated_date(text) if text is not None else None
    return meta.parse_date(m.group(1)) if m else None


# Lower-case byte strings one of which every keyword of _STATED_DATE contains ("updated" holds
# "date"); _COPYRIGHT_NEEDLES: the three hits `meta.copyright_holder` looks for.
_DATE_NEEDLES = (b"date", b"posted", b"published")
_COPYRIGHT_NEEDLES = ("©".encode(), b"copyright", b"(c)")


def _first_stated_date(text: str) -> re.Match[str] | None:
    """`_STATED_DATE.search(text)`, tried only where one of its keywords starts: the regex
    scanned at every position costs ~25 ns per character (0.1 ms for a small page, 0.7 ms
    for the 30 KB window). Exact: a match starts with a keyword, and the lower-cased text has
    the keywords at the same positions unless it holds a character that `re.IGNORECASE`
    equates with an ASCII letter (then the plain search runs). The keywords' positions are
    merged in increasing order, each found only when the earlier ones did not match."""
    if has_ascii_folds(text):
        return _STATED_DATE.search(text)
    lower = text.lower()
    nexts = {k: lower.find(k) for k in _STATED_KEYWORDS}  # no two keywords start at one place
    while True:
        keyword, at = min(((k, i) for k, i in nexts.items() if i >= 0), key=lambda ki: ki[1],
                          default=(None, -1))
        if keyword is None:
            return None
        m = _STATED_DATE.match(text, at)
        if m:
            return m
        nexts[keyword] = lower.find(keyword, at + 1)


def _copyright_holder(page: str, enc: _Encoded | None = None) -> str | None:
    tail = page[-6000:]
    if "©" not in tail and "&copy" not in tail and "opyright" not in tail:
        return None
    # "İ" lower-cases to two characters, which shifts the positions copyright_holder finds.
    if enc is None or "\u0130" in tail:
        return meta.copyright_holder(htmllib.unescape(_TAGS.sub(" ", tail)))
    b_start = 0 if len(tail) == len(page) else len(enc.raw) - len(_utf8(tail))
    text = enc.text_from_first(b_start, len(enc.raw), _COPYRIGHT_NEEDLES)
    return meta.copyright_holder(text) if text is not None else None


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


class _Encoded:
    """The page as UTF-8 and its ASCII-lower-cased copy: searching a few literals there costs a
    fraction of tag-stripping, unescaping and lower-casing a whole region of the str."""

    __slots__ = ("raw", "low")

    def __init__(self, page: str):
        self.raw = _utf8(page)
        self.low = self.raw.lower()  # A-Z only: the same positions, and non-ASCII kept as is

    def text_from_first(self, start: int, end: int, needles: tuple[bytes, ...]) -> str | None:
        """`unescape(_TAGS.sub(" ", region))` for region = raw[start:end], minus the text that
        comes before the last ">" preceding the first "&" or case-insensitive needle; None when
        neither occurs. For the callers' searches (every match holds a needle, case-insensitively
        and with no character that lower-cases to ASCII other than A-Z: the callers check) the
        cut is invisible: the removed part holds no needle and no entity; no tag match crosses a
        ">" so tag-stripping the parts is stripping the whole; and the text before the cut ends
        in " " or ">", which neither a needle nor a regex word boundary can see past."""
        hits = [i for i in (self.low.find(n, start, end) for n in (b"&", *needles)) if i >= 0]
        if not hits:
            return None
        cut = self.raw.rfind(b">", start, min(hits)) + 1 or start
        return htmllib.unescape(_TAGS.sub(" ", self.raw[cut:end].decode("utf-8", "surrogatepass")))


@functools.cache
def _extractor() -> Extractor:
    """trafilatura's options, built once: `bare_extraction` otherwise rebuilds them from its
    ConfigParser on every call (~10% of an extraction). Read-only during extraction (trafilatura
    copies them before any change), so one instance serves every page and thread."""
    return Extractor(
        output_format="python",
        comments=False,  # reader comments are not the article
        tables=False,
        images=False,
        dedup=False,  # trafilatura's dedup keeps a process-wide cache: no global state here
        with_metadata=False,
    )


def extract_main_text(page: str) -> str | None:
    """trafilatura's main-content text (one element per line), or None when it finds none."""
    doc = trafilatura.bare_extraction(page, options=_extractor())
    text = getattr(doc, "text", None) if doc is not None else None
    return text if text and text.strip() else None


def clean_html(page: str, where: str, *, encoding: str = "utf-8",
               notes: tuple[str, ...] = ()) -> Cleaned:
    """Clean one decoded HTML page."""
    extracted = extract_main_text(page)
    if extracted is None:
        raise RejectedInput(where, NO_ARTICLE, "the extractor found no main content")
    info = page_metadata(page)
    title, kept, found = clean_units(segment(extracted), where, title=info["title"], html=True)
    for u in kept:  # trafilatura marks list items with "- ", which is not in the page
        if u.text.startswith("- "):
            u.text = u.text[2:]
    text, prov = assemble(kept)
    prov = locate_paragraphs(page, text, prov)
    date = info["date"] or found["date"]
    publisher = info["publisher"] or found["publisher"]
    if not date or not publisher:  # look for them in the page itself
        enc = _Encoded(page)
        date = date or _date_near_title(page, title, enc)
        publisher = publisher or _copyright_holder(page, enc)
    return Cleaned(
        title=title,
        text=text,
        date=date,
        dateline=found["dateline"],
        publisher=publisher,
        language=assembled_language(text),
        provenance=prov,
        encoding=encoding,
        media_type="text/html",
        notes=notes,
    )
