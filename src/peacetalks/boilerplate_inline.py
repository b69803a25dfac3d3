"""Page furniture printed inside the article body, recognised by its neighbours rather than by
its own words: the blurb of a newsletter sign-up box, the biography under an "About the author"
heading; and the reverse cases, parts of the article that look like furniture on their own: a
subheading whose only fault is that a table of contents repeats it, a short lead or a short
live-blog update that the position rules would leave out for its weight. Quoted speech: a
pull-quote (a sentence of the article printed again next to it) is furniture, the short turns of
an interview ("A: Enormously.") are article. Lists and pictures: the short items of a list
that a sentence ending in a colon announces, with the article's prose resuming after them, are
article; a picture's alt text that its caption repeats is the caption.

Separate from `boilerplate.py` (the per-unit families, repetition and list shapes) because these
rules look at a unit's neighbours after those have been classified. Units are duck-typed
`boilerplate.Unit`s; nothing here imports that module (it imports this one).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .boilerplate_rules import _CLOSERS, _TERMINAL

if TYPE_CHECKING:
    from .boilerplate import Unit

# A sign-up or consent box is a heading, a blurb and a button; the heading and the button are
# recognised by their words, the blurb ("Africa Briefing: the week's stories, every Friday.")
# only by sitting between them.
_BOX = frozenset({"subscription", "promo", "consent"})
BOX_OR_BIO = _BOX | {"bio", "advertisement"}
BOX_BLURB_MAX_WORDS = 20
BIO_HEADING_MAX_WORDS = 4  # "About the author" (a bio itself is a sentence or more)
BIO_MAX_WORDS = 80
SPONSORED_LABELS = frozenset({"sponsored", "sponsored content", "promoted", "promoted content",
                              "partner content", "paid post", "paid content"})


def mark_boxes(units: list[Unit], marks: list[int]) -> None:
    """A short unit between two sign-up/consent units belongs to the box; the unit right after
    an "About the author" heading is the biography, whatever its wording; the short line after
    a "Sponsored" label is the sponsored item. `marks`: the indices
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
        elif u.drop == "advertisement":
            # "Sponsored" labels a paid item, unlike "Advertisement" (an image slot): the short
            # non-sentence line after it is the item's headline ("Top-rated VPN: 80% off").
            if i < last and u.key.strip(" .:-–—") in SPONSORED_LABELS:
                nxt = units[i + 1]
                if nxt.drop is None and not nxt.prose and nxt.n_words <= BOX_BLURB_MAX_WORDS:
                    nxt.drop = "advertisement"
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


# Quoted speech. Pull-quotes: a sentence of the article printed again in large type next to it,
# often with an attribution line ("— a Western diplomat"), recognised by repetition (its words,
# punctuation aside, occur inside a longer unit nearby), never by its wording. Interview turns:
# "Q: Why not?" / "A: Enormously." are the article however short, once the page alternates them.
_OPEN_QUOTES = "\"“‘'«„"
_CLOSE_QUOTES = "\"”’'»"
_DASHES = "—–―"
_SPEECH_HINT = frozenset(_OPEN_QUOTES + _DASHES + "QA")  # first characters worth a closer look
PULL_QUOTE_WINDOW = 4  # units on either side where the article's copy is looked for
PULL_QUOTE_MAX_WORDS = 60
ATTRIBUTION_MAX_WORDS = 12
INTERVIEW_MIN_TURNS = 2  # questions and answers each, for "Q:"/"A:" lines to be an interview
_NON_WORD = re.compile(r"[\W_]+")


def _words_only(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def _attribution(u: Unit) -> bool:
    """"— a Western diplomat present at the talks": a dash, a name or description, no sentence."""
    return (u.text[:1] in _DASHES and u.n_words <= ATTRIBUTION_MAX_WORDS
            and not u.text.rstrip(_CLOSERS)[-1:] in _TERMINAL)


def mark_quoted_speech(units: list[Unit]) -> None:
    """Pull-quotes are dropped (see mark_pull_quotes); the turns of an interview, lines that
    start with "Q:" or "A:", are prose when the page has at least INTERVIEW_MIN_TURNS of each,
    so that a run of short answers neither splits the article nor falls out as fragments; the
    same for the turns of a transcript (see mark_speaker_turns)."""
    mark_speaker_turns(units)
    hints = [i for i, u in enumerate(units) if u.text[:1] in _SPEECH_HINT]
    if not hints:
        return
    turns = [i for i in hints if units[i].text[1:2] == ":" and units[i].text[:1] in "QA"]
    if len(turns) >= 2 * INTERVIEW_MIN_TURNS:
        questions = sum(units[i].text[0] == "Q" for i in turns)
        if INTERVIEW_MIN_TURNS <= questions <= len(turns) - INTERVIEW_MIN_TURNS:
            for i in turns:
                if units[i].drop is None and units[i].n_words >= 2:
                    units[i].prose = True
    mark_pull_quotes(units, [i for i in hints if units[i].text[:1] not in "QA"])


# "SPOKESPERSON:", "QUESTION:", "MR. HALLORAN:": a speaker label in capitals opening a line.
_SPEAKER = re.compile(r"[A-Z][A-Z.'’ -]{0,28}[A-Z.]:\s")  # at most 30 characters before the colon


def mark_speaker_turns(units: list[Unit]) -> None:
    """The turns of a transcript are prose, however short ("MR. HALLORAN: Not yet."), when at
    least two speaker labels in capitals open INTERVIEW_MIN_TURNS lines each and the speaker
    changes at least twice (a dialogue). One label used repeatedly ("UPDATE: ...") or two
    labels that never alternate are not a transcript."""
    # (a label's second character is a capital letter: a cheap test that most lines fail)
    turns = [(i, m.group()) for i, u in enumerate(units)
             if u.text[1:2].isupper() and (m := _SPEAKER.match(u.text))]
    if len(turns) < 2 * INTERVIEW_MIN_TURNS:
        return
    labels = [label for _, label in turns]
    changes = sum(a != b for a, b in zip(labels, labels[1:]))
    speakers = [label for label in set(labels) if labels.count(label) >= INTERVIEW_MIN_TURNS]
    if len(speakers) < 2 or changes < 2:
        return
    for i, label in turns:
        u = units[i]
        if label in speakers and u.drop is None and u.n_words >= 2:
            u.prose = True


def mark_pull_quotes(units: list[Unit], hints: list[int]) -> None:
    """`hints`: units that start with a quotation mark or a dash. A unit that is a whole
    quotation, or that an attribution line follows, is a pull-quote when its words (punctuation
    aside) occur in a longer unit within PULL_QUOTE_WINDOW: it is dropped, with its attribution.
    A quotation that the article does not repeat is left alone."""
    last = len(units) - 1
    words: dict[int, str] = {}
    for i in hints:
        u = units[i]
        if u.drop is not None and u.drop != "repeated":
            continue
        q = i - 1 if _attribution(u) and i > 0 else i
        quote = units[q]
        if quote.drop is not None or not 4 <= quote.n_words <= PULL_QUOTE_MAX_WORDS:
            continue
        attributed = q < i or (i < last and _attribution(units[i + 1]))
        text = quote.text
        if not attributed and not (text[:1] in _OPEN_QUOTES and text[-1:] in _CLOSE_QUOTES):
            continue
        key = words.get(q) or words.setdefault(q, _words_only(text))
        for j in range(max(0, q - PULL_QUOTE_WINDOW), min(last, q + PULL_QUOTE_WINDOW) + 1):
            other = units[j]
            if j == q or other.n_words < quote.n_words or other.drop not in (None, "duplicate"):
                continue
            body = words.get(j) or words.setdefault(j, _words_only(other.text))
            if len(body) > len(key) and f" {key} " in f" {body} ":
                quote.drop = "pull-quote"
                quote.prose = False
                if attributed:
                    units[q + 1].drop = "pull-quote"
                break


# Lists and pictures inside the article. A sentence ending in a colon announces a list, and when
# the article's prose resumes right after the list, its short items ("the withdrawal of Russian
# troops") are the article's, not a link list. A picture's alt text copied as a line of its own
# is what the caption next to it says again.
LIST_ITEM_MAX_WORDS = 30
LEAD_IN_MIN_WORDS = 6
# A lead-in that announces links ("More on the talks in these stories:") introduces a link list.
_LINK_LEAD_IN = re.compile(r"\b(?:read|stories|articles|coverage|links?|headlines|watch|listen|videos?)\b", re.I)
ALT_TEXT_WINDOW = 2  # units between an alt-text line and the caption that repeats it


def keep_introduced_lists(units: list[Unit], drops: list[str | None]) -> None:
    """Items of a link list (`mark_link_lists`) right after a sentence-like unit that ends in a
    colon and right before a paragraph of prose are list items of the article: kept, as prose,
    with their lead-in (which a short one opens the link list). A list after the article (no
    prose follows) or one that a lead-in announces as links stays dropped. `drops`: the units'
    `drop`s (runs are found with list.index, not a Python loop over every unit)."""
    n = len(units)
    for k in _positions(drops, "link-list"):
        if k and drops[k - 1] == "link-list":
            continue  # not the start of a run
        # the lead-in: the unit before the run, or the run's first line
        i = k - 1 if k and drops[k - 1] is None and units[k - 1].text.endswith(":") else k
        u = units[i]
        if u.n_words < LEAD_IN_MIN_WORDS or not u.text.endswith(":") or i + 1 >= n or drops[i + 1] != "link-list":
            continue
        if not any(w[:1].islower() for w in u.text.split()) or _LINK_LEAD_IN.search(u.text):
            continue  # a Title Case header or a lead-in to links
        j = i + 1
        while j < n and units[j].drop == "link-list" and units[j].n_words <= LIST_ITEM_MAX_WORDS:
            j += 1
        if j < n and units[j].drop is None and units[j].prose:
            u.drop = None
            u.prose = True
            for item in units[i + 1 : j]:
                item.drop = None
                item.prose = True


def _positions(items: list[str | None], value: str) -> list[int]:
    out: list[int] = []
    at = -1
    for _ in range(items.count(value)):
        at = items.index(value, at + 1)
        out.append(at)
    return out


def mark_alt_text(units: list[Unit], drops: list[str | None]) -> None:
    """A line that is not a sentence and whose words (punctuation aside) a caption within
    ALT_TEXT_WINDOW units repeats ("Image caption, <the same words>") is the picture's alt text.
    `drops`: the units' `drop`s, updated with the units marked."""
    captions = _positions(drops, "caption")
    last = len(units) - 1
    for i in captions:
        words = None
        for j in range(max(0, i - ALT_TEXT_WINDOW), min(last, i + ALT_TEXT_WINDOW) + 1):
            alt = units[j]
            if alt.drop is not None or alt.prose or alt.n_words < 3 or alt.n_words >= units[i].n_words:
                continue
            words = words or f" {_words_only(units[i].text)} "
            if f" {_words_only(alt.text)} " in words:
                alt.drop = drops[j] = "caption"
