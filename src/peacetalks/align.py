"""Map paragraphs of extracted HTML text back to character ranges of the raw HTML.

The extractor does not report source offsets, so the visible text of the page is rebuilt with a
single tokenising pass (tags, entities, text runs) that remembers where every text run starts,
whitespace is collapsed, and each paragraph is found in order with `str.find`. A paragraph's
range runs from the source position of its first character to that of its last one, so that
``collapse(strip_tags(unescape(raw[start:end]))) == paragraph``. A paragraph that cannot be
found (the extractor normalised something unusual) keeps the range of the whole body: coarse
but never wrong, and counted in the returned notes.
"""

from __future__ import annotations

import html as htmllib
import re
from bisect import bisect_right

from .model import ProvenanceRange

_TOKENS = re.compile(
    r"<!--.*?-->|<(script|style|noscript|template|svg|head|title|select|button)\b[^>]*>.*?</\1\s*>"
    r"|<[^>]*>|&#?\w+;|[^<&]+|[<&]",
    re.S | re.I,
)
# Tags that do not break a word: everything else separates text like whitespace.
_INLINE = frozenset("a b i u em strong span abbr sup sub small mark q cite code font time s del ins bdi bdo wbr".split())
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_SPACE = re.compile(r"\s+")


def visible_text(page: str) -> tuple[str, list[int], list[int], list[int]]:
    """The page's visible text with single spaces, plus, for every piece of it, its start in the
    visible text, its start in the source, and its source length if the piece maps 1:1 (text
    runs) or -1 when it does not (entities: the whole entity maps to its one character)."""
    out: list[str] = []
    v_starts: list[int] = []
    s_starts: list[int] = []
    linear: list[int] = []
    vpos = 0
    last_space = True
    for m in _TOKENS.finditer(page):
        tok = m.group()
        first = tok[0]
        if first == "<" and len(tok) > 1:
            name = _TAG_NAME.match(tok)
            if (name is None or name.group(1).lower() not in _INLINE) and not last_space:
                out.append(" ")
                vpos += 1
                last_space = True
            continue
        if first == "&" and len(tok) > 1:
            piece = " ".join(htmllib.unescape(tok).split()) or " "
            if piece == " " and last_space:
                continue
            v_starts.append(vpos)
            s_starts.append(m.start())
            linear.append(-1)
            out.append(piece)
            vpos += len(piece)
            last_space = piece.endswith(" ")
            continue
        if last_space:
            lead = len(tok) - len(tok.lstrip())
            tok_start = m.start() + lead
            tok = tok[lead:]
            if not tok:
                continue
        else:
            tok_start = m.start()
        # Keep the run's own spacing map simple: collapse it and remember the source run.
        collapsed = _SPACE.sub(" ", tok)
        v_starts.append(vpos)
        s_starts.append(tok_start)
        linear.append(len(tok) if collapsed == tok else -2 - len(tok))
        out.append(collapsed)
        vpos += len(collapsed)
        last_space = collapsed.endswith(" ")
    return "".join(out), v_starts, s_starts, linear


def _source_pos(page: str, vpos: int, v_starts: list[int], s_starts: list[int],
                linear: list[int], end: bool) -> int:
    i = bisect_right(v_starts, vpos) - 1
    offset = vpos - v_starts[i]
    kind = linear[i]
    if kind == -1:  # an entity: the whole entity stands for its character
        return s_starts[i] if not end else page.index(";", s_starts[i]) + 1
    src = s_starts[i]
    if kind >= 0:
        return src + offset + (1 if end else 0)
    # A run whose whitespace was collapsed: walk it to find the source offset.
    run = page[src : src + (-2 - kind)]
    seen = 0
    for j, m in enumerate(re.finditer(r"\s+|\S", run)):
        if seen == offset:
            return src + m.start() + (len(m.group()) if end else 0)
        seen += 1
    return src + len(run)


Visible = tuple[str, list[int], list[int], list[int]]


def locate_paragraphs(page: str, text: str, prov: tuple[ProvenanceRange, ...],
                      vis: Visible | None = None) -> tuple[ProvenanceRange, ...]:
    """Replace the (extracted-text) raw ranges of `prov` by ranges in the raw HTML `page`.
    Fast path: most paragraphs occur verbatim in the source (no entity, no inline tag, single
    spaces), found with `str.find`; the tokenised visible text is built only if one does not."""
    out: list[ProvenanceRange] = []
    cursor = page.find("<body")
    cursor = max(cursor, 0)
    for i, p in enumerate(prov):
        para = text[p.text_start : p.text_end]
        at = page.find(para, cursor)
        if at < 0 or "<" in para or "&" in para:
            return (*out, *_locate_slow(page, text, prov[i:], vis))
        out.append(ProvenanceRange(at, at + len(para), p.text_start, p.text_end))
        cursor = at + len(para)
    return tuple(out)


def _locate_slow(page: str, text: str, prov: tuple[ProvenanceRange, ...],
                 vis: Visible | None) -> tuple[ProvenanceRange, ...]:
    visible, v_starts, s_starts, linear = vis if vis is not None else visible_text(page)
    if not v_starts:
        return tuple(ProvenanceRange(0, len(page), p.text_start, p.text_end) for p in prov)
    out: list[ProvenanceRange] = []
    cursor = 0
    for p in prov:
        para = text[p.text_start : p.text_end]
        at = visible.find(para, cursor)
        if at < 0:
            at = visible.find(para)  # the extractor may reorder (e.g. a lead moved up)
        if at < 0:
            out.append(ProvenanceRange(0, len(page), p.text_start, p.text_end))
            continue
        start = _source_pos(page, at, v_starts, s_starts, linear, end=False)
        stop = _source_pos(page, at + len(para) - 1, v_starts, s_starts, linear, end=True)
        out.append(ProvenanceRange(start, stop, p.text_start, p.text_end))
        cursor = at + len(para)
    return tuple(out)


def strip_markup(fragment: str) -> str:
    """What a raw HTML range reads as: tags removed, entities decoded, whitespace collapsed.
    (The inverse check used by tests: strip_markup(page[start:end]) == paragraph.)"""
    visible, *_ = visible_text(fragment)
    return " ".join(visible.split())
