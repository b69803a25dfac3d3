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


def _regex_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    skip_dot = -1
    n = len(text)
    for m in TOKEN_RE.finditer(text):
        s, e = m.span()
        if s == skip_dot:  # the full stop already joined its abbreviation
            continue
        last = text[e - 1]
        if last in "tT" and e - s > 3 and text[e - 3 : e].lower() in NEGATION:
            spans += [(s, e - 3), (e - 3, e)]  # did|n't
        elif (
            e < n and text[e] == "." and (e + 1 == n or not text[e + 1].isalnum())
            and text[s:e].lower() in ABBREVIATIONS
        ):
            spans.append((s, e + 1))  # Mr.
            skip_dot = e
        else:
            spans.append((s, e))
    return spans


def token_spans(text: str, boundaries: Sequence[int] = ()) -> list[tuple[int, int]]:
    """(start, end) of the tokens of `text`, cut at every offset in `boundaries`."""
    spans = _regex_spans(text)
    cuts = sorted(set(boundaries))
    if not cuts:
        return spans
    out: list[tuple[int, int]] = []
    k, n = 0, len(cuts)
    for s, e in spans:
        while k < n and cuts[k] <= s:
            k += 1
        prev = s
        while k < n and cuts[k] < e:  # a cut strictly inside this token
            out.append((prev, cuts[k]))
            prev = cuts[k]
            k += 1
        out.append((prev, e))
    return out


def tokenize(text: str, boundaries: Sequence[int] = ()) -> list[Token]:
    """Regex tokens of `text`, cut at every offset in `boundaries` (entity starts/ends)."""
    return [Token(s, e, text[s:e]) for s, e in token_spans(text, boundaries)]


def split_sentences(
    text: str, spans: list[tuple[int, int]], words: list[str],
    protected: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Sentences as [lo, hi) token index ranges: cut at line breaks and after sentence-final
    punctuation, never inside a `protected` (start, end) character span."""
    inside = sorted(protected)
    pstarts = [s for s, _ in inside]
    ranges: list[tuple[int, int]] = []
    lo = 0
    last = len(spans) - 1
    for i in range(last):
        end, nxt = spans[i][1], spans[i + 1][0]
        if nxt == end:  # attached tokens never end a sentence
            continue
        if "\n" in text[end:nxt]:
            pass
        elif words[i] in SENT_END or words[i] in CLOSERS:
            first = words[i + 1][0]
            if not (first.isupper() or first.isdigit() or first in OPENERS):
                continue
            j = i  # the sentence-final mark, before any closing quotes/brackets
            while j > 0 and words[j] in CLOSERS and spans[j - 1][1] == spans[j][0]:
                j -= 1
            if words[j] not in SENT_END:
                continue
            if words[j] == "." and j > 0 and spans[j - 1][1] == spans[j][0]:
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
    if lo < len(spans):
        ranges.append((lo, len(spans)))
    return ranges


def ner_doc(
    text: str, entities: Sequence[tuple[int, int, str]], encode: dict[str, int] | None = None
) -> NerDoc:
    """Sentences of tokens with IOB2 tags from gold entity (start, end, label) spans; with
    `encode` (tag name -> class id) the tags are class ids instead of names."""
    kept, dropped = resolve_overlaps(entities)
    spans = token_spans(text, [o for s, e, _ in kept for o in (s, e)])
    words = [text[s:e] for s, e in spans]
    tags: list = [OUTSIDE_TAG if encode is None else encode[OUTSIDE_TAG]] * len(spans)
    if kept:
        starts = [s for s, _ in spans]
        for s, e, label in kept:
            lo, hi = bisect_left(starts, s), bisect_left(starts, e)
            covered = [k for k in range(lo, hi) if spans[k][1] <= e]
            if not covered:  # e.g. an entity over whitespace only
                dropped += 1
                continue
            b, i = f"B-{label}", f"I-{label}"
            tags[covered[0]] = b if encode is None else encode[b]
            for k in covered[1:]:
                tags[k] = i if encode is None else encode[i]
    sentences = tuple(
        Sentence(tuple(words[lo:hi]), tuple(tags[lo:hi]))
        for lo, hi in split_sentences(text, spans, words, [(s, e) for s, e, _ in kept])
    )
    return NerDoc(sentences, len(spans), dropped)
