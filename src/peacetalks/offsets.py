"""Check every Label Studio span against the document text; repair known offset bugs.

Our offsets are Python `str` indices (code points). What Label Studio sends is checked, never
trusted:
- 1.23.2 in a browser gives correct code-point offsets, but `value.text` of a span crossing a line
  break holds a literal backslash + "n" for every "\\r" and every "\\n": offsets right, text
  different. That is accepted (the stored text is always `text[start:end]`).
- Older versions and other tools count UTF-16 code units (every astral character such as an
  emoji counts two), or count line breaks differently (CRLF as one character, or LF as two).
  Such a span is repaired when exactly one of these coordinate systems maps it onto text equal
  to `value.text`; the repair is recorded (model.OffsetRepair).
- Failing that, a `value.text` that occurs exactly once in the document is unambiguous too.
Anything else is refused with a message naming the task, region and text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate
from typing import Callable

from .errors import LabelStudioError


def escaped_newlines(s: str) -> str:
    """How Label Studio 1.23 renders a selection's text: every CR and LF as backslash + n."""
    return s.replace("\r", "\\n").replace("\n", "\\n")


def text_matches(actual: str, value_text: str) -> bool:
    return actual == value_text or escaped_newlines(actual) == value_text


# A coordinate system = how many units a tool counts for each code point of our text.
def _utf16(text: str, i: int) -> int:
    return 2 if ord(text[i]) > 0xFFFF else 1


def _crlf_as_one(text: str, i: int) -> int:
    return 0 if text[i] == "\r" and text[i + 1 : i + 2] == "\n" else 1


def _lf_as_two(text: str, i: int) -> int:
    return 2 if text[i] == "\n" and (i == 0 or text[i - 1] != "\r") else 1


SCHEMES: dict[str, tuple[Callable[[str, int], int], ...]] = {
    "utf16-code-units": (_utf16,),
    "crlf-counted-as-one": (_crlf_as_one,),
    "lf-counted-as-two": (_lf_as_two,),
    "utf16-code-units+crlf-counted-as-one": (_utf16, _crlf_as_one),
    "utf16-code-units+lf-counted-as-two": (_utf16, _lf_as_two),
}


def _relevant(text: str, name: str) -> bool:
    need_astral = "utf16-code-units" in name
    need_crlf = "crlf-counted-as-one" in name
    need_lf = "lf-counted-as-two" in name
    if need_astral and not any(ord(c) > 0xFFFF for c in text):
        return False
    if need_crlf and "\r\n" not in text:
        return False
    if need_lf and "\n" not in text.replace("\r\n", ""):
        return False
    return True


def _positions(text: str, units: tuple[Callable[[str, int], int], ...]) -> list[int]:
    """pos[i] = the tool's offset of our code-point index i (monotonic, length len(text)+1)."""
    def width(i: int) -> int:
        w = 1
        for unit in units:
            w *= unit(text, i)
        return w

    return [0, *accumulate(width(i) for i in range(len(text)))]


def _to_index(pos: list[int], offset: int) -> int | None:
    i = bisect.bisect_left(pos, offset)
    if i < len(pos) and pos[i] == offset:
        # A CR folded into CRLF has width 0, so two indices share an offset: the first one
        # (before the CR) is right for a start (the break is included whole) and for an end.
        return i
    return None


@dataclass(frozen=True)
class Resolved:
    start: int
    end: int
    reason: str | None  # None: offsets were right; else the repair applied


def resolve_span(text: str, start: object, end: object, value_text: object, where: str) -> Resolved:
    """The span Label Studio meant, as code-point offsets into `text`, or LabelStudioError.

    `where` names task, annotation and region for the message."""
    # The message is formatted only on the way to an error: a 10k-task pull checks ~200k
    # spans, almost all right.
    def shown() -> str:
        return f"{where} [{start}:{end}] {value_text!r}"

    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        raise LabelStudioError(f"{shown()}: offsets are not integers")
    if not isinstance(value_text, str) or not value_text:
        raise LabelStudioError(f"{shown()}: region has no value.text, so its offsets cannot be checked")
    if 0 <= start < end <= len(text) and text_matches(text[start:end], value_text):
        return Resolved(start, end, None)

    candidates: dict[tuple[int, int], str] = {}
    for name, units in SCHEMES.items():
        if not _relevant(text, name):
            continue
        pos = _positions(text, units)
        s, e = _to_index(pos, start), _to_index(pos, end)
        if s is None or e is None or s >= e:
            continue
        if text_matches(text[s:e], value_text):
            candidates.setdefault((s, e), name)
    if len(candidates) == 1:
        (s, e), name = next(iter(candidates.items()))
        return Resolved(s, e, name)
    if len(candidates) > 1:
        spans = ", ".join(f"[{s}:{e}]" for s, e in sorted(candidates))
        raise LabelStudioError(f"{shown()}: offsets do not match the text and several repairs fit "
                               f"({spans}); refusing to guess")

    found = _occurrences(text, value_text)
    if len(found) == 1:
        s, e = found[0]
        return Resolved(s, e, "unique-text-match")
    detail = (f"the text there is {text[start:end]!r}" if 0 <= start < end <= len(text)
              else f"outside the document (length {len(text)})")
    many = f"; the text occurs {len(found)} times" if found else "; the text does not occur"
    raise LabelStudioError(f"{shown()}: offsets do not match the document text ({detail}{many}), "
                           "and no known Label Studio offset bug explains it")


def _occurrences(text: str, value_text: str) -> list[tuple[int, int]]:
    if not value_text.strip():
        return []
    found = []
    targets = {value_text}
    if "\\n" in value_text:
        # Undo the newline rendering: each backslash-n was a CR or an LF.
        targets |= {value_text.replace("\\n\\n", "\r\n").replace("\\n", "\n"),
                    value_text.replace("\\n", "\n")}
    for target in targets:
        i = text.find(target)
        while i != -1:
            found.append((i, i + len(target)))
            i = text.find(target, i + 1)
    return sorted(set(found))
