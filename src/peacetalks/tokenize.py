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
from typing import Sequence

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt cmdr adm rep sen gov pres sec amb st jr sr rev "
    "vol fig vs etc inc ltd co corp dept univ est approx "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
TOKEN_RE = re.compile(
    r"""
      (?:"""
    + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True))
    + r""")\.(?!\w)                                   # Mr.  Gen.  Jan.
    | (?:[^\W\d_]\.){2,}                               # U.S.  U.K.
    | \d+(?:[.,:/]\d+)*                                # 1,000.5  12:30  2025/05
    | \w+(?=n['’]t\b)                                  # do|n't
    | n['’]t\b
    | ['’](?:s|re|ve|ll|d|m)\b                         # clitics
    | \w+(?:-\w+)*(?:['’](?!(?:s|re|ve|ll|d|m)\b)\w+)*  # words, Euro-Atlantic, O'Brien
    | [^\w\s]                                          # any other single character
    """,
    re.VERBOSE | re.IGNORECASE,
)

SENT_END = frozenset(".!?")
CLOSERS = frozenset("\"'”’)]»")
OPENERS = frozenset("\"'“‘([«")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]  # IOB2 tag names: "O", "B-<LABEL>", "I-<LABEL>"


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


def tokenize(text: str, boundaries: Sequence[int] = ()) -> list[Token]:
    """Regex tokens of `text`, cut at every offset in `boundaries` (sorted entity starts/ends)."""
    cuts = sorted(set(boundaries))
    tokens: list[Token] = []
    for m in TOKEN_RE.finditer(text):
        s, e = m.span()
        lo, hi = bisect_right(cuts, s), bisect_left(cuts, e)
        prev = s
        for cut in cuts[lo:hi]:
            tokens.append(Token(prev, cut, text[prev:cut]))
            prev = cut
        tokens.append(Token(prev, e, text[prev:e]))
    return tokens


def _is_boundary(tokens: list[Token], i: int, text: str) -> bool:
    """Does a sentence end after tokens[i] (which is, or follows, a sentence-final mark)?"""
    nxt = tokens[i + 1]
    if nxt.start == tokens[i].end:  # attached: a closing quote/bracket still to come
        return False
    first = nxt.text[0]
    if not (first.isupper() or first.isdigit() or first in OPENERS):
        return False
    # find the sentence-final mark (skip closing quotes/brackets)
    j = i
    while j > 0 and tokens[j].text in CLOSERS:
        j -= 1
    if tokens[j].text not in SENT_END:
        return False
    if tokens[j].text == "." and j > 0 and tokens[j - 1].end == tokens[j].start:
        word = tokens[j - 1].text
        if word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper()):
            return False
    return "\n" not in text[tokens[i].end : nxt.start]  # line ends are handled separately


def split_sentences(
    text: str, tokens: list[Token], protected: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Sentences as [lo, hi) token index ranges: cut at line breaks and after sentence-final
    punctuation, never inside a `protected` (start, end) character span."""
    inside = sorted(protected)
    pstarts = [s for s, _ in inside]

    def in_entity(offset: int) -> bool:
        k = bisect_right(pstarts, offset - 1) - 1
        return k >= 0 and inside[k][0] < offset < inside[k][1]

    ranges: list[tuple[int, int]] = []
    lo = 0
    for i in range(len(tokens) - 1):
        tok, nxt = tokens[i], tokens[i + 1]
        ends = "\n" in text[tok.end : nxt.start] or (
            (tok.text in SENT_END or tok.text in CLOSERS) and _is_boundary(tokens, i, text)
        )
        if ends and not in_entity(nxt.start):
            ranges.append((lo, i + 1))
            lo = i + 1
    if lo < len(tokens):
        ranges.append((lo, len(tokens)))
    return ranges


def ner_doc(text: str, entities: Sequence[tuple[int, int, str]]) -> NerDoc:
    """Sentences of tokens with IOB2 tags from gold entity (start, end, label) spans."""
    kept, dropped = resolve_overlaps(entities)
    cuts = [o for s, e, _ in kept for o in (s, e)]
    tokens = tokenize(text, cuts)
    tags = ["O"] * len(tokens)
    starts = [t.start for t in tokens]
    for s, e, label in kept:
        lo, hi = bisect_left(starts, s), bisect_left(starts, e)
        covered = [k for k in range(lo, hi) if tokens[k].end <= e]
        if not covered:  # e.g. an entity over whitespace only
            dropped += 1
            continue
        tags[covered[0]] = f"B-{label}"
        for k in covered[1:]:
            tags[k] = f"I-{label}"
    sentences = tuple(
        Sentence(tuple(t.text for t in tokens[lo:hi]), tuple(tags[lo:hi]))
        for lo, hi in split_sentences(text, tokens, [(s, e) for s, e, _ in kept])
    )
    return NerDoc(sentences, len(tokens), dropped)
