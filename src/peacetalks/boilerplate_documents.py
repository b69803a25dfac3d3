"""Copies of documents rather than of web pages: an article forwarded by e-mail carries the
message's header block ("From: ...", "Date: ...", "Subject: <the headline>", "To: ...").
A translated or republished copy carries notes about the copy: "Translated from Ukrainian by X",
"This article was first published in Ukrainian on 11 April". They are about the copy, not part
of the article (like a byline or a "first published" date line), and are dropped.

The header lines are recognised as a block, never one by one: a "Subject:" or "To:" line on its
own can be a line of an article (a list of agenda items, a form quoted in a report), but two or
more header fields in a row are a message header. The subject usually repeats the headline, so
it must not be taken for the headline itself (with its "Subject:" prefix) or for a dek.

Units are duck-typed `boilerplate.Unit`s; nothing here imports that module.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .boilerplate import Unit

# "From: Weekly Dispatch <dispatch@...>", "Subject: ...", "Sent: Friday, ...": a field name with
# its capital, a colon and a value (the same in the common mail clients' forwarding formats).
_HEADER_FIELD = re.compile(r"(?:From|To|Cc|Bcc|Date|Sent|Subject|Reply-To): \S")
_FIRST_LETTERS = frozenset("FTCBDSR")
EMAIL_HEADER_MIN_FIELDS = 2  # header fields in a row for them to be a message header


def mark_email_headers(units: list[Unit]) -> None:
    """Runs of at least EMAIL_HEADER_MIN_FIELDS consecutive e-mail header lines are
    "email-header" (whatever a family said of them: the address makes "From:" a contact line)."""
    fields = [i for i, u in enumerate(units) if u.text[:1] in _FIRST_LETTERS and _HEADER_FIELD.match(u.text)]
    if len(fields) < EMAIL_HEADER_MIN_FIELDS:
        return
    run: list[int] = []
    for i in (*fields, -2):
        if run and i == run[-1] + 1:
            run.append(i)
            continue
        if len(run) >= EMAIL_HEADER_MIN_FIELDS:
            for j in run:
                units[j].drop = "email-header"
        run = [i]


# A note about the copy itself: deictic "This <piece>" (the copy speaking of itself; "The article
# was first published in Pravda" is a report about another text) plus a publication verb. Both
# kinds of note are one sentence, with no quotation and no "said".
_COPY_NOTE = re.compile(
    r"(?:(?:a|an earlier|a shorter|a longer) version of )?this (?:article|story|piece|report|interview"
    r"|column|essay|commentary|op-ed|analysis|translation)\b(?:\s+\S+){0,3}?\s+(?:(?:first|originally)"
    r" (?:published|appeared|posted|printed|ran)|(?:was|is|has been) (?:translated|republished|"
    r"reprinted|adapted)|appeared (?:first|originally))\b", re.I)
# A translator credit is a name line: "by" + a capital, and short (a sentence that opens with
# "Translated from Russian by Kremlin aides, the letter ..." is the article's).
_TRANSLATOR = re.compile(r"(?i:translat(?:ed|ion)(?: from [A-Z][\w-]+)?(?: (?:in)?to english)? by |"
                         r"translation: )[A-Z]")
TRANSLATOR_MAX_WORDS = 10
_QUOTE_OR_SPEECH = re.compile(r"[\"“”«»]|\b(?:said|says|told)\b")
COPY_NOTE_MAX_WORDS = 30
_COPY_FIRST = frozenset("TtAa")


def mark_copy_notes(units: list[Unit]) -> None:
    """A short one-sentence unit that is a note about the copy (translated, first published
    elsewhere) is "copy-note"."""
    for u in units:
        if (u.drop is None and u.text[:1] in _COPY_FIRST and u.n_words <= COPY_NOTE_MAX_WORDS
                and (_COPY_NOTE.match(u.text) or u.n_words <= TRANSLATOR_MAX_WORDS
                     and _TRANSLATOR.match(u.text)) and not _QUOTE_OR_SPEECH.search(u.text)
                and u.text.count(". ") == 0):
            u.drop = "copy-note"
