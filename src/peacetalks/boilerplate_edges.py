"""The article's last short sentences: "Peskov declined to comment." closes many news stories,
but at under 8 words it is not prose (`boilerplate.is_prose`), and the kept region ends at the
last prose paragraph. A short line right after that paragraph is kept with it when it is shaped
like a sentence of the story (a capital or a quotation mark first, lower-case words, a full
stop at the end) and does not address the reader ("Thank you for reading.", "Your support
matters."), which is what page furniture after an article does.

Only the end of the region grows: a short sentence before the first paragraph is usually a
standfirst under the headline, and the title logic reads the lines before the region.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .boilerplate_inline import _CLOSE_QUOTES, _OPEN_QUOTES
from .boilerplate_rules import _CLOSERS

if TYPE_CHECKING:
    from .boilerplate import Unit

CLOSING_MIN_WORDS = 3
# The reader addressed outside a quotation: furniture, not news ("We value your feedback.").
_READER = re.compile(r"\b(?:you|your|yours|we|our|us)\b", re.I)
_QUOTES = _OPEN_QUOTES + _CLOSE_QUOTES
# Page lines after an article that are sentences too: instructions to the reader, which open with
# the verb ("Report a correction.", "Send tips to the newsroom."), notes about the page itself
# ("This story has been updated."), and labels ("Filed under diplomacy.").
_NOT_STORY = re.compile(
    r"(?:report|send|click|tap|sign|subscribe|follow|share|read|watch|listen|contact|email|e-mail"
    r"|download|visit|join|support|donate|register|log|see|find|get|try|filed|tagged|posted)\b"
    r"|this (?:story|article|report|page|post|piece|content|video)\b", re.I)
_QUOTED = re.compile(r"[\"“”«»„][^\"“”«»„]*[\"“”«»„]")  # what someone said, not the page


def _closing_sentence(u: Unit) -> bool:
    text = u.text.strip()
    stripped = text.rstrip(_CLOSERS)
    if u.n_words < CLOSING_MIN_WORDS or not stripped or stripped[-1] != ".":
        return False
    if not (text[0].isupper() or text[0] in _QUOTES):
        return False
    words = text.split()
    if not any(w[0].islower() for w in words[1:]):  # Title Case: a heading or a menu entry
        return False
    if _NOT_STORY.match(text):
        return False
    return not _READER.search(_QUOTED.sub(" ", text))


def keep_closing_sentences(units: list[Unit], last: int) -> int:
    """Keep the short sentences that directly follow unit `last` (the region's last unit);
    returns the new last index."""
    i = last + 1
    while i < len(units) and units[i].drop == "outside-main" and _closing_sentence(units[i]):
        units[i].drop = None
        last = i
        i += 1
    return last
