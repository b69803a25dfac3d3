"""Where one article ends: the next article begins, or the page's contact block.

Infinite-scroll pages and "next article" widgets print a second complete story under the first:
its own headline, byline and date, then paragraphs of prose that the position rules of
`boilerplate.select_main` would keep (a second story is as "substantial" as the first). What
gives it away is not its wording but its header: a headline-shaped line followed by a byline,
the same shape the page used above the first article, after the first article has run its
course. Only the first article is kept. A press office's contact block (a name, "Tel.: ...",
"E-mail: ...") closes a statement the same way: the lines after it are the office's notes.

Units are duck-typed `boilerplate.Unit`s; nothing here imports that module (it imports this one).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from .boilerplate_rules import _CLOSERS, _TERMINAL

if TYPE_CHECKING:
    from .boilerplate import Unit

ARTICLE_MIN_PARAGRAPHS = 3  # prose paragraphs on each side of a second header for it to count
HEADLINE_MIN_WORDS = 4
HEADLINE_MAX_WORDS = 25
# What may stand between a headline and its byline ("Headline / 7 August 2025 / By X").
_BETWEEN = frozenset({"timestamp", "date-line"})
# A story's header states its date with the year; a live blog's entries state only the time
# ("10:42 BST"), and their headings and authors must not end the blog.
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _headline_before(units: list[Unit], b: int) -> int:
    """The index of a headline-shaped line (not prose, 4-25 words, no sentence ending) right
    before the byline at `b`, with at most one date line between them, or -1. A headline under
    a "Related" / "Read more" label is a card linking to another story, inside an article that
    goes on."""
    for i in (b - 1, b - 2):
        if i < 0:
            return -1
        u = units[i]
        if u.drop in _BETWEEN and i == b - 1:
            continue
        stripped = u.text.rstrip(_CLOSERS)
        shaped = (not u.prose and HEADLINE_MIN_WORDS <= u.n_words <= HEADLINE_MAX_WORDS
                  and not (stripped and stripped[-1] in _TERMINAL)
                  and not (i and units[i - 1].drop == "related"))  # "Related" + card: a link
        return i if shaped else -1
    return -1


# A story's first paragraph (its lede) restates its headline: a second story's header is followed
# by a paragraph that shares content words with the header's headline. A related-story card
# printed without a "Related" label between two halves of an article is followed by the
# article's next paragraph, which has nothing to do with the card's headline.
LEDE_ECHO_MIN_WORDS = 3  # content words (stems) of the headline that its lede repeats
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
_NOT_CONTENT = frozenset(
    "that this with from have has had will would could should said says after before over into "
    "about than their there they them were been what when which while also more most other "
    "against between during under".split())


def _content_stems(text: str) -> set[str]:
    """Words of 4+ letters, lower case, cut to 5 letters ("talks"/"talked", "protests"/"protest")."""
    return {w[:5] for w in _CONTENT_WORD.findall(text.lower()) if w not in _NOT_CONTENT}


def _lede_echoes(units: list[Unit], headline: int, lede: int) -> bool:
    shared = _content_stems(units[headline].text) & _content_stems(units[lede].text)
    return len(shared) >= LEDE_ECHO_MIN_WORDS


def _dated(units: list[Unit], b: int) -> bool:
    """Does the byline at `b`, or a date line right after or right before it, state a year?"""
    return any(0 <= i < len(units) and (i == b or units[i].drop in _BETWEEN) and _YEAR.search(units[i].text)
               for i in (b, b + 1, b - 1))


def second_article(units: list[Unit], clusters: list[list[int]], limit: int = 0) -> int:
    """Index of the first prose cluster that opens a second article, or 0 when there is none
    (among the first `limit` clusters, when `limit`: those before a comment thread).
    A second article's header is a byline right under a headline-shaped line, with a date that
    states its year (`_dated`), after at least ARTICLE_MIN_PARAGRAPHS paragraphs (the first
    article) and followed by as many in its own cluster (a story, not a short update), on a page
    that printed a byline before the first article too (its article header has this shape).
    A header inside a cluster (a select-all copy with nothing between the two stories) splits
    that cluster in place. A standfirst above the byline is not cut: no headline sits between
    it and the body; nor is an unlabelled related-story card, whose headline the paragraph
    after it does not echo (`_lede_echoes`: the card's headline is dropped), nor a live blog's entry signed by an author who
    signed an earlier part of the page (a live blog whose entries carry the year)."""
    if not clusters or not any(u.drop == "byline" for u in units[: clusters[0][0]]):
        return 0
    first_byline: dict[str, int] = {}  # a byline printed again is the same author's next entry
    for i, u in enumerate(units):
        if u.drop == "byline":
            first_byline.setdefault(u.key, i)
    before = 0  # paragraphs of the clusters before k
    for k, c in enumerate(clusters[:limit] if limit else clusters):
        lo = clusters[k - 1][-1] + 1 if k else c[0]
        for b in range(lo, c[-1]):
            if units[b].drop != "byline" or first_byline[units[b].key] < b or not _dated(units, b):
                continue
            headline = _headline_before(units, b)
            if headline < 0:
                continue
            head = bisect_left(c, b)  # paragraphs of c above the header
            if before + head >= ARTICLE_MIN_PARAGRAPHS and len(c) - head >= ARTICLE_MIN_PARAGRAPHS:
                if not _lede_echoes(units, headline, c[head]):
                    units[headline].drop = "related"  # a card's headline: a link to another story
                    continue
                if not head:
                    return k
                clusters[k : k + 1] = [c[:head], c[head:]]
                return k + 1
        before += len(c)
    return 0


CONTACT_BLOCK_REACH = 2  # contact lines at most this many units apart form one block


def mark_contact_blocks(units: list[Unit], drops: list[str | None]) -> None:
    """Two or more "contact" lines ("Tel.: ...", "E-mail: press@...") within CONTACT_BLOCK_REACH
    units of each other are a contact block: "contact-block", a hard boundary for
    `boilerplate.select_main`, so that the notes printed after it ("Media accreditation requests
    should be sent ...") are not taken for the article's last paragraph. A single contact line
    inside an article stays a "contact" line and ends nothing. `drops`: the units' `drop`s."""
    lines = [i for i, d in enumerate(drops) if d == "contact"]
    for a, b in zip(lines, lines[1:]):
        if b - a <= CONTACT_BLOCK_REACH:
            units[a].drop = units[b].drop = drops[a] = drops[b] = "contact-block"
