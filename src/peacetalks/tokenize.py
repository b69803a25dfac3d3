"""Tokens, sentences and IOB2 tags for the `ner` config (the conll2003 shape).

Deterministic, pure Python + regex, no model download, so the release is reproducible anywhere.

Tokenization (documented in the dataset card):
- Only `Document.text` is tokenized (the title is not annotated).
- Tokens are, in order of preference: known abbreviations with their full stop ("Mr.",
  "Gen.", "Jan."; the list is ABBREVIATIONS below), dotted abbreviations ("U.S."), numbers
  ("1,000.5", "12:30"), PTB-style negation ("do" + "n't"), clitics as their own token ("Ukraine" + "'s"), words with
  internal hyphens or apostrophes ("Euro-Atlantic", "O'Brien"), and every other non-space
  character on its own (punctuation, quotation marks, symbols).
- Tokens are additionally cut at every entity boundary, so that each kept entity covers whole
  tokens (an annotated "Ukraine" inside "Ukraine-Russia" becomes its own token).

Sentences: paragraphs (lines) are split after ".", "!" or "?" (plus any closing quotes or
brackets) when whitespace follows and the next token starts with an upper-case letter, a digit or an opening quote, unless
the full stop belongs to a known abbreviation (one token, see above) or follows a single capital
initial ("J. Smith"). A sentence boundary is never placed inside a kept entity.

Nested or overlapping entities: IOB2 cannot express them. The longest entity wins (outermost for
nested ones); on equal length the earlier one; the others are dropped from `ner` (they remain in
the `entities` and `documents` configs) and counted in `NerDoc.dropped`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple, Sequence

from .features import OUTSIDE_TAG

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt cmdr adm rep sen gov pres sec amb st jr sr rev "
    "vol fig vs etc inc ltd co corp dept univ est approx "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Kept simple for speed (a long alternation tried at every position costs 5x); abbreviations
# and negations are fixed up in token_spans().
TOKEN_RE = re.compile(
    r"""
      (?:[^\W\d_]\.){2,}                               # U.S.  U.K.
    | \d+(?:[.,:/]\d+)*                                # 1,000.5  12:30  2025/05
    | ['’](?:s|re|ve|ll|d|m)\b                         # clitics
    | \w+(?:-\w+)*(?:['’](?!(?:s|re|ve|ll|d|m)\b)\w+)*  # words, Euro-Atlantic, O'Brien, didn't
    | [^\w\s]                                          # any other single character
    """,
    re.VERBOSE | re.IGNORECASE,
)
NEGATION = ("n't", "n’t")

SENT_END = frozenset(".!?")
CLOSERS = frozenset("\"'”’)]»")
OPENERS = frozenset("\"'“‘([«")


class Token(NamedTuple):
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple  # IOB2 tag names ("O", "B-<LABEL>", "I-<LABEL>") or their class ids


@dataclass(frozen=True)
class NerDoc:
    sentences: tuple[Sentence, ...]
    n_tokens: int
    dropped: int  # entities not representable in IOB2 (overlapping a longer one, or no token)


def resolve_overlaps(
    entities: Sequence[tuple[int, int, str]],
) -> tuple[list[tuple[int, int, str]], int]:
    """Keep the longest of overlapping (start, end, label) spans; returns (kept sorted, dropped)."""
    kept: list[tuple[int, int, str]] = []
    starts: list[int] = []
    for start, end, label in sorted(entities, key=lambda e: (-(e[1] - e[0]), e[0], e[2])):
        if end <= start:
            continue
        i = bisect_left(starts, start)
        if (i > 0 and kept[i - 1][1] > start) or (i < len(kept) and kept[i][0] < end):
            continue
        kept.insert(i, (start, end, label))
        starts.insert(i, start)
    return kept, len(entities) - len(kept)


# The same tokens by re.split: with the whole pattern as one group, split() returns
# [gap, token, gap, token, ..., gap] as strings made in C, and the running sum of their lengths
# gives every offset, so no match object or tuple is made per token (finditer cost 3x).
_SPLIT_RE = re.compile(f"({TOKEN_RE.pattern})", TOKEN_RE.flags)
_NEGATION_RE = re.compile(r"n['’]t", re.IGNORECASE)
_MARKS = SENT_END | CLOSERS


def _raw_tokens(text: str) -> tuple[list[int], list[int], list[str]]:
    """(starts, ends, words) of the regex tokens, with abbreviations joined to their full stop
    ("Mr.") and negations split off ("did" + "n't")."""
    pieces = _SPLIT_RE.split(text)
    bounds = list(accumulate(map(len, pieces)))
    starts, ends, words = bounds[0:-1:2], bounds[1::2], pieces[1::2]
    n = len(text)
    # Fix-ups, found with C-level scans (list.index, one regex) rather than a loop over tokens.
    edits: list[tuple[int, str]] = []  # (token index, "join" | "split")
    i = 0
    while True:
        try:
            i = words.index(".", i + 1)
        except ValueError:
            break
        if (ends[i - 1] == starts[i] and words[i - 1].lower() in ABBREVIATIONS
                and (starts[i] + 1 == n or not text[starts[i] + 1].isalnum())):
            edits.append((i, "join"))
    for m in _NEGATION_RE.finditer(text):
        k = bisect_right(starts, m.start()) - 1
        if k >= 0 and ends[k] == m.end() and ends[k] - starts[k] > 3:
            edits.append((k, "split"))
    # Applied from the last token backwards so that earlier indices stay valid.
    for k, what in sorted(edits, reverse=True):
        if what == "join":  # the full stop joins its abbreviation: Mr.
            ends[k - 1] = ends[k]
            words[k - 1] += "."
            del starts[k], ends[k], words[k]
        else:  # did|n't
            s, e, w = starts[k], ends[k], words[k]
            starts[k:k + 1], ends[k:k + 1], words[k:k + 1] = [s, e - 3], [e - 3, e], [w[:-3], w[-3:]]
    return starts, ends, words


def _cut(text: str, starts: list[int], ends: list[int], words: list[str],
         boundaries: Sequence[int]) -> tuple[list[int], list[int], list[str]]:
    """Cut tokens at every boundary offset strictly inside one (entity starts/ends)."""
    inside: dict[int, list[int]] = {}
    for c in sorted(set(boundaries)):
        k = bisect_right(starts, c) - 1
        if k >= 0 and starts[k] < c < ends[k]:
            inside.setdefault(k, []).append(c)
    if not inside:
        return starts, ends, words
    s2: list[int] = []
    e2: list[int] = []
    for k, (s, e) in enumerate(zip(starts, ends)):
        for c in inside.get(k, ()):
            s2.append(s)
            e2.append(c)
            s = c
        s2.append(s)
        e2.append(e)
    return s2, e2, [text[s:e] for s, e in zip(s2, e2)]


def token_spans(text: str, boundaries: Sequence[int] = ()) -> list[tuple[int, int]]:
    """(start, end) of the tokens of `text`, cut at every offset in `boundaries`."""
    starts, ends, _ = _cut(text, *_raw_tokens(text), boundaries)
    return list(zip(starts, ends))


def tokenize(text: str, boundaries: Sequence[int] = ()) -> list[Token]:
    """Regex tokens of `text`, cut at every offset in `boundaries` (entity starts/ends)."""
    starts, ends, words = _cut(text, *_raw_tokens(text), boundaries)
    return [Token(*t) for t in zip(starts, ends, words)]


def split_sentences(
    text: str, spans: list[tuple[int, int]], words: list[str],
    protected: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Sentences as [lo, hi) token index ranges: cut at line breaks and after sentence-final
    punctuation, never inside a `protected` (start, end) character span."""
    return _sentences(text, [s for s, _ in spans], [e for _, e in spans], words, protected)


def _sentences(
    text: str, starts: list[int], ends: list[int], words: list[str],
    protected: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    inside = sorted(protected)
    pstarts = [s for s, _ in inside]
    last = len(starts) - 1
    # Only two kinds of gap can end a sentence: one holding a line break, or one after
    # punctuation; look at those instead of at every token.
    candidates: set[int] = set()
    for mark in _MARKS:  # list.index scans in C: a few calls instead of a loop over tokens
        i = -1
        while True:
            try:
                i = words.index(mark, i + 1)
            except ValueError:
                break
            candidates.add(i)
    pos = text.find("\n")
    while pos >= 0:
        candidates.add(bisect_right(starts, pos) - 1)
        pos = text.find("\n", pos + 1)
    ranges: list[tuple[int, int]] = []
    lo = 0
    for i in sorted(candidates):
        if i < 0 or i >= last:
            continue
        end, nxt = ends[i], starts[i + 1]
        if nxt == end:  # attached tokens never end a sentence
            continue
        if "\n" in text[end:nxt]:
            pass
        elif words[i] in _MARKS:
            first = words[i + 1][0]
            if not (first.isupper() or first.isdigit() or first in OPENERS):
                continue
            j = i  # the sentence-final mark, before any closing quotes/brackets
            while j > 0 and words[j] in CLOSERS and ends[j - 1] == starts[j]:
                j -= 1
            if words[j] not in SENT_END:
                continue
            if words[j] == "." and j > 0 and ends[j - 1] == starts[j]:
                word = words[j - 1]
                if word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                    continue
        else:
            continue
        if inside:  # never inside an entity
            k = bisect_right(pstarts, nxt - 1) - 1
            if k >= 0 and inside[k][0] < nxt < inside[k][1]:
                continue
        ranges.append((lo, i + 1))
        lo = i + 1
    if lo < len(starts):
        ranges.append((lo, len(starts)))
    return ranges


def ner_doc(
    text: str, entities: Sequence[tuple[int, int, str]], encode: dict[str, int] | None = None
) -> NerDoc:
    """Sentences of tokens with IOB2 tags from gold entity (start, end, label) spans; with
    `encode` (tag name -> class id) the tags are class ids instead of names."""
    kept, dropped = resolve_overlaps(entities)
    starts, ends, words = _cut(text, *_raw_tokens(text), [o for s, e, _ in kept for o in (s, e)])
    tags: list = [OUTSIDE_TAG if encode is None else encode[OUTSIDE_TAG]] * len(starts)
    for s, e, label in kept:
        lo, hi = bisect_left(starts, s), bisect_left(starts, e)
        covered = [k for k in range(lo, hi) if ends[k] <= e]
        if not covered:  # e.g. an entity over whitespace only
            dropped += 1
            continue
        b, i = f"B-{label}", f"I-{label}"
        tags[covered[0]] = b if encode is None else encode[b]
        for k in covered[1:]:
            tags[k] = i if encode is None else encode[i]
    sentences = tuple(
        Sentence(tuple(words[lo:hi]), tuple(tags[lo:hi]))
        for lo, hi in _sentences(text, starts, ends, words, [(s, e) for s, e, _ in kept])
    )
    return NerDoc(sentences, len(starts), dropped)
