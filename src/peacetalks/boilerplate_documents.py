"""Copies of documents rather than of web pages: an article forwarded by e-mail carries the
message's header block ("From: ...", "Date: ...", "Subject: <the headline>", "To: ...").

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
