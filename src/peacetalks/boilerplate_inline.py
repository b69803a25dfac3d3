"""Page furniture printed inside the article body, recognised by its neighbours rather than by
its own words: the blurb of a newsletter sign-up box, the biography under an "About the author"
heading; and the reverse cases, parts of the article that look like furniture on their own: a
subheading whose only fault is that a table of contents repeats it, a short lead or a short
live-blog update that the position rules would leave out for its weight.

Separate from `boilerplate.py` (the per-unit families, repetition and list shapes) because these
rules look at a unit's neighbours after those have been classified. Units are duck-typed
`boilerplate.Unit`s; nothing here imports that module (it imports this one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .boilerplate_rules import _CLOSERS, _TERMINAL

if TYPE_CHECKING:
    from .boilerplate import Unit

# A sign-up or consent box is a heading, a blurb and a button; the heading and the button are
# recognised by their words, the blurb ("Africa Briefing: the week's stories, every Friday.")
# only by sitting between them.
_BOX = frozenset({"subscription", "promo", "consent"})
BOX_OR_BIO = _BOX | {"bio"}
BOX_BLURB_MAX_WORDS = 20
BIO_HEADING_MAX_WORDS = 4  # "About the author" (a bio itself is a sentence or more)
BIO_MAX_WORDS = 80


def mark_boxes(units: list[Unit], marks: list[int]) -> None:
    """A short unit between two sign-up/consent units belongs to the box; the unit right after
    an "About the author" heading is the biography, whatever its wording. `marks`: the indices
    of the units dropped for one of BOX_OR_BIO (classify collects them as it goes)."""
    last = len(units) - 1
    for i in marks:
        u = units[i]
        if u.drop == "bio":
            if u.n_words <= BIO_HEADING_MAX_WORDS and i < last:
                nxt = units[i + 1]
                if nxt.drop is None and nxt.n_words <= BIO_MAX_WORDS:
                    nxt.drop = "bio"
                    nxt.prose = False
        elif i + 2 <= last and units[i + 2].drop in _BOX:
            mid = units[i + 1]
            if mid.drop is None and mid.n_words < BOX_BLURB_MAX_WORDS:
                mid.drop = u.drop
                mid.prose = False


def _heading_shaped(text: str, n_words: int) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return 3 <= n_words <= 12 and not (stripped and stripped[-1] in _TERMINAL) and not text.isupper()


def keep_subheadings(units: list[Unit], repeated: list[int]) -> None:
    """`repeated`: indices of units dropped only for being printed more than once. A copy that
    sits between two article paragraphs is a subheading (the other copies are the table of
    contents that links to it): it is kept there, once. Menus and headlines printed twice never
    sit between two paragraphs; TOC entries sit next to each other."""
    last = len(units) - 1
    kept: set[str] = set()
    for i in repeated:
        u = units[i]
        if (0 < i < last and units[i - 1].prose and units[i + 1].prose and u.key not in kept
                and _heading_shaped(u.text, u.n_words)):
            u.drop = None
            kept.add(u.key)


def keep_neighbours(keep: list[bool], splits: list[tuple[int, bool]]) -> None:
    """Prose clusters the weight rule of `select_main` left out but whose neighbours make them
    part of the article (in place on `keep`; splits[k] = (boundary before cluster k: 0 none,
    1 only INLINE_BOXES, 2 another hard reason; within the gap?), splits[0] unused):
    - a short lead cut off from a kept body by an inline box within the gap (wire copy: lead,
      summary bullets, body); after an article the same boxes are followed by scraps too small
      to be kept on their own, which this never lets in;
    - clusters between two kept ones with no boundary on either side (a one-paragraph update of
      a live blog, set apart from the others by its time, heading, author and share lines)."""
    n = len(keep)
    for k in range(n - 1, 0, -1):
        if keep[k] and splits[k] == (1, True):
            keep[k - 1] = True
    k = 1
    while k < n:
        if keep[k] or not keep[k - 1]:
            k += 1
            continue
        end = k  # clusters k..end-1 are left out, cluster k-1 is kept
        while end < n and not keep[end]:
            end += 1
        if end < n and all(splits[j][0] == 0 for j in range(k, end + 1)):
            for j in range(k, end):
                keep[j] = True
        k = end + 1
