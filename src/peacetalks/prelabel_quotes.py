"""Rule-based detection of direct quotes, their cue verb and the nearest plausible speaker.

Heuristics (news style), in order:
1. Quotations: double quotation marks, straight ("), curly (“ ”) or guillemets (« »), paired
   within a paragraph (a line). A quotation still open at the end of its paragraph runs to the
   paragraph end; if the next paragraph opens with a quotation mark it continues there (the
   typographic convention for quotes spanning paragraphs), otherwise it ends unclosed.
   Single quotation marks are not used: they are indistinguishable from apostrophes.
2. A quotation is a direct quote when it is attached to a cue verb, either after it
   (`"...," Rubio said` / `"...," said Rubio` / `"...?" he asked`) or before it
   (`he cautioned, "..."` / `Rubio said: "..."`), or when it stands as a sentence of its own and
   starts with a capital letter. Quoted fragments inside a sentence (`he was "cautiously
   optimistic"`) are left out: they are scare quotes or MIXED attributions, not direct quotes.
3. Speaker: the speaker-capable entity mention right next to the cue (a gap of at most two
   lower-case words such as "also" or "meanwhile"); for a pronoun ("he said"), the nearest
   preceding mention, outside quotations, with a label the patterns file gives that pronoun.
   A stand-alone quote that follows an attributed one in the same paragraph inherits its
   speaker and cue (`"...," he said. "..."`). No plausible speaker -> speaker None.
The QUOTE span is the quoted content without the quotation marks, surrounding spaces and the
trailing comma that belongs to the reporting frame; the CUE span is the verb.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .errors import SchemaError
from .model import Entity, Quote, Span
from .prelabel_reported import Reported, ReportedRules, find_reported

if TYPE_CHECKING:
    from .taxonomy import Taxonomy

OPENERS = {'"': '"', "“": "”", "«": "»", "„": "“"}
CLOSERS = {'"', "”", "»", "“"}
_MARKS = re.compile("[" + re.escape("".join(sorted(set(OPENERS) | CLOSERS))) + "]")
# A sentence ends at . ! ? (and a closing mark after it) followed by a space, except after
# initials and common abbreviations ("U.S. Secretary", "Mr. Rubio").
SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bGen)(?<!\bSen)(?<!\bRep)"
    r"[.!?][\"”»]?(?=\s|$)"
)
# What may stand between a speaker mention and its cue: spaces, commas, <= 2 lower-case words.
SPEAKER_GAP = re.compile(r"[\s,]*(?:[a-z]+[\s,]+){0,2}")
# The reporting frame after a quote is short; beyond this the verb belongs to something else.
FRAME_CHARS = 120


@dataclass(frozen=True)
class QuoteRules:
    kind: str  # the quote kind given to detected quotes (from the patterns file)
    cues: tuple[str, ...]
    pronouns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reported: ReportedRules | None = None  # INDIRECT / MIXED rules (prelabel_reported.py)

    @cached_property
    def cue_regex(self) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, self.cues)) + r")(?!\w)")


@dataclass(frozen=True)
class Quotation:
    """Quoted content found between quotation marks (offsets of the content, marks excluded)."""

    open_mark: int  # offset of the opening mark
    start: int
    end: int
    close_mark: int | None  # offset of the closing mark; None when the quote never closes


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def find_quotations(text: str) -> list[Quotation]:
    out: list[Quotation] = []
    open_at: int | None = None  # offset of the opening mark of a quotation still running
    paragraphs = _paragraphs(text)
    for n, (p_start, p_end) in enumerate(paragraphs):
        if open_at is not None:
            # A quotation left open by an earlier paragraph: continued only if this one opens
            # with a quotation mark; otherwise it ended at the end of the earlier paragraph.
            first = text[p_start:p_end].lstrip()
            if not first:
                continue
            if first[0] in OPENERS:
                i = p_start + (len(text[p_start:p_end]) - len(first)) + 1
            else:
                _close_unclosed(text, out, open_at, paragraphs, n)
                open_at = None
                i = p_start
        else:
            i = p_start
        # Only quotation marks change the state: jump from one to the next (C speed) instead of
        # visiting every character in Python.
        for m in _MARKS.finditer(text, i, p_end):
            ch, i = m.group(), m.start()
            if open_at is None and ch in OPENERS:
                open_at = i
            elif open_at is not None and ch in CLOSERS:
                s, e = _trim(text, open_at + 1, i)
                if e > s:
                    out.append(Quotation(open_at, s, e, i))
                open_at = None
    if open_at is not None:
        _close_unclosed(text, out, open_at, paragraphs, len(paragraphs))
    return out


def _close_unclosed(text: str, out: list[Quotation], open_at: int, paragraphs, n: int) -> None:
    """The quotation opened at `open_at` runs to the end of the last non-empty paragraph before
    paragraph n."""
    end = next(pe for ps, pe in reversed(paragraphs[:n]) if text[ps:pe].strip())
    s, e = _trim(text, open_at + 1, end)
    if e > s:
        out.append(Quotation(open_at, s, e, None))


def region_id(code: str, label: str, start: int, end: int) -> str:
    """Deterministic region id: "p" + rule code + 8 hex chars of sha1(code, label, offsets)."""
    return f"p{code}" + hashlib.sha1(f"{code}|{label}|{start}|{end}".encode()).hexdigest()[:8]


class _Finder:
    def __init__(self, text: str, entities: Sequence[Entity], rules: QuoteRules,
                 speaker_labels: Sequence[str], quotations: Sequence[Quotation]):
        self.text = text
        self.rules = rules
        self.cue_re = rules.cue_regex
        self.speakers = sorted(
            (e for e in entities if e.label in speaker_labels), key=lambda e: e.span.start
        )
        self.quoted = [(q.open_mark, q.end if q.close_mark is None else q.close_mark + 1)
                       for q in quotations]

    def _inside_quote(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.quoted)

    def speaker_near(self, cue: Span, lo: int, hi: int) -> Entity | None:
        """The speaker of a cue: a mention ending just before it (after `lo`), a pronoun just
        before it, or a mention starting right after it (before `hi`)."""
        before = [e for e in self.speakers if lo <= e.span.start and e.span.end <= cue.start]
        if before and SPEAKER_GAP.fullmatch(self.text, before[-1].span.end, cue.start):
            return before[-1]
        words = re.findall(r"\w+", self.text[lo : cue.start])
        if words and words[-1].lower() in self.rules.pronouns:
            m = list(re.finditer(r"\w+", self.text[lo : cue.start]))[-1]
            pronoun_at = lo + m.start()
            if SPEAKER_GAP.fullmatch(self.text, lo + m.end(), cue.start):
                return self.antecedent(pronoun_at, self.rules.pronouns[words[-1].lower()])
        for ent in self.speakers:
            if cue.end <= ent.span.start <= hi and re.fullmatch(
                r"\s+", self.text[cue.end : ent.span.start]
            ):
                return ent
        return None

    def antecedent(self, pos: int, labels: tuple[str, ...]) -> Entity | None:
        for ent in reversed(self.speakers):
            if ent.span.end <= pos and ent.label in labels and not self._inside_quote(ent.span.start):
                return ent
        return None

    def cue_after(self, q: Quotation, p_end: int) -> Span | None:
        """`"...," Rubio said` : the frame follows the closing mark, up to the sentence end."""
        if q.close_mark is None:
            return None
        last = self.text[q.start : q.close_mark].rstrip()[-1:]
        after = q.close_mark + 1
        if not (last in ",?!—–-…" or self.text[after : after + 1] == ","):
            return None
        frame_end = min(p_end, after + FRAME_CHARS)
        m_end = SENTENCE_END.search(self.text, after, frame_end)
        frame_end = m_end.start() if m_end else frame_end
        if any(ch in OPENERS or ch in CLOSERS for ch in self.text[after:frame_end]):
            frame_end = min(
                i for i in range(after, frame_end) if self.text[i] in OPENERS or self.text[i] in CLOSERS
            )
        m = self.cue_re.search(self.text, after, frame_end)
        return None if m is None else Span(m.start(), m.end(), m.group())

    def cue_before(self, q: Quotation, p_start: int) -> Span | None:
        """`he cautioned, "..."` / `Rubio said: "..."`: the cue ends just before the mark."""
        m = None
        for m in self.cue_re.finditer(self.text, p_start, q.open_mark):
            pass
        # "he cautioned, ", "Rubio said: ", "Fidan told reporters: ", "said in a statement: "
        if m is None or not re.fullmatch(r"(?:\s+\w+){0,3}\s*[,:]\s*", self.text[m.end() : q.open_mark]):
            return None
        return Span(m.start(), m.end(), m.group())


def _sentence_start(text: str, p_start: int, pos: int) -> int:
    """Offset where the sentence holding `pos` starts (within its paragraph)."""
    start = p_start
    for m in SENTENCE_END.finditer(text, p_start, pos):
        start = m.end()
    return start


def detect_quotes(
    text: str, entities: Sequence[Entity], rules: QuoteRules, speaker_labels: Sequence[str]
) -> list[Quote]:
    quotations = find_quotations(text)
    finder = _Finder(text, entities, rules, speaker_labels, quotations)
    paragraphs = _paragraphs(text)
    para_of = lambda pos: next(p for p in paragraphs if p[0] <= pos <= p[1])  # noqa: E731
    out: list[Quote] = []
    previous: tuple[Quotation, Quote] | None = None  # last quote attributed through a cue after it
    last: tuple[Quotation, Quote] | None = None  # the last quotation, when it became a quote
    for q in quotations:
        p_start, _ = para_of(q.open_mark)
        _, p_end = para_of(q.end)
        speaker: Entity | None = None
        cue = cue_after = finder.cue_after(q, p_end)
        if cue is not None:
            speaker = finder.speaker_near(cue, q.close_mark + 1, p_end)
        else:
            cue = finder.cue_before(q, p_start)
            if cue is not None:
                speaker = finder.speaker_near(cue, _sentence_start(text, p_start, cue.start), q.open_mark)
        cue_id = None if cue is None else region_id("c", "cue", cue.start, cue.end)
        if cue is None:
            pre = text[p_start : q.open_mark]
            standalone = (not pre.strip() or re.search(r"[.!?:]\s*$", pre)) and (
                text[q.start].isupper() or text[q.start].isdigit()
            )
            if not standalone:
                last = None
                continue  # a quoted fragment inside a sentence: scare quotes or MIXED
            if previous is not None and _inherits(text, previous, q, para_of):
                prev_q = previous[1]
                speaker_id, cue, cue_id = prev_q.speaker, prev_q.cue, prev_q.cue_id
                out.append(_quote(text, q, rules.kind, speaker_id, cue, cue_id))
                last = (q, out[-1])
                continue
            if last is not None and _continues(text, last, q, p_start):
                # hard case 4: a quote paragraph continuing the previous paragraph's quote
                out.append(_quote(text, q, rules.kind, last[1].speaker, None, None))
                last = (q, out[-1])
                continue
        quote = _quote(text, q, rules.kind, None if speaker is None else speaker.id, cue, cue_id)
        out.append(quote)
        last = (q, quote)
        previous = (q, quote) if cue_after is not None else None
    hits = rules.reported.hits(text) if rules.reported is not None else None
    if hits:
        reported = Reported(text, entities, speaker_labels, rules.reported, rules.pronouns,
                            finder.antecedent, finder.quoted, SENTENCE_END, region_id, rules.kind)
        out += find_reported(text, paragraphs, reported, out, hits)
        out.sort(key=lambda x: (x.span.start, x.span.end))
    return out


def _continues(text: str, last: tuple[Quotation, Quote], q: Quotation, p_start: int) -> bool:
    """`"...," Rubio said.` then a paragraph that is only a closed quotation: same speaker (the
    guidelines' hard case 4; an unclosed one keeps no speaker, hard case 3)."""
    prev_q, prev = last
    if prev.speaker is None or prev_q.close_mark is None or q.close_mark is None:
        return False
    between = text[prev_q.close_mark + 1 : q.open_mark]
    line_end = text.find("\n", q.close_mark)
    after = text[q.close_mark + 1 : len(text) if line_end < 0 else line_end]
    # the previous quotation's attribution ends its paragraph, and this paragraph is the quote
    return ("\n" in between and not between[between.index("\n") :].strip()
            and not _MARKS.search(between) and not after.strip())


def _inherits(text: str, previous: tuple[Quotation, Quote], q: Quotation, para_of) -> bool:
    """`"...," he said. "..."`: same paragraph, and only the rest of the attribution sentence
    stands between the cue of the previous quote and this quote."""
    prev_q, prev = previous
    if prev.cue is None or para_of(prev_q.open_mark) != para_of(q.open_mark):
        return False
    return re.fullmatch(r"[^.!?\"“”«»]*[.!?]\s*", text[prev.cue.end : q.open_mark]) is not None


def _quote(text: str, q: Quotation, kind: str, speaker: str | None,
           cue: Span | None, cue_id: str | None) -> Quote:
    return Quote(
        id=region_id("q", kind, q.start, q.end),
        span=Span(q.start, q.end, text[q.start : q.end]),
        kind=kind,
        speaker=speaker,
        cue=cue,
        cue_id=cue_id,
    )


def parse_quote_rules(where: str, raw: Any, tax: Taxonomy) -> QuoteRules:
    """The `quotes` section of the patterns file, checked against the taxonomy."""
    if not isinstance(raw, dict):
        raise SchemaError(f"{where}: 'quotes' must be a mapping with kind, cues, pronouns")
    kind = _quote_kind(where, "quotes.kind", raw.get("kind"), tax)
    cues = _word_list(where, "quotes.cues", raw.get("cues"), True)
    pronouns = raw.get("pronouns") or {}
    if not isinstance(pronouns, dict):
        raise SchemaError(f"{where}: quotes.pronouns must map pronouns to entity label lists")
    parsed: dict[str, tuple[str, ...]] = {}
    for pronoun, labels in pronouns.items():
        labels = labels if isinstance(labels, list) else [labels]
        bad = [x for x in labels if x not in tax.speaker_allowed]
        if bad or not labels:
            raise SchemaError(
                f"{where}: quotes.pronouns.{pronoun}: labels {bad or labels!r} are not speaker "
                f"labels of the taxonomy (relations.speaker allows {', '.join(tax.speaker_allowed)})"
            )
        parsed[str(pronoun).lower()] = tuple(labels)
    reported = _reported_rules(where, raw.get("reported"), tax)
    return QuoteRules(kind=kind, cues=cues, pronouns=parsed, reported=reported)


def _quote_kind(where: str, key: str, value: Any, tax: Taxonomy) -> str:
    if value not in tax.quote_kind_names:
        raise SchemaError(f"{where}: {key} {value!r} is not a quote kind of the taxonomy "
                          f"(known: {', '.join(tax.quote_kind_names)})")
    return value


def _word_list(where: str, key: str, value: Any, required: bool) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not value or not all(
        isinstance(c, str) and re.fullmatch(r"[a-z][a-z' -]*", c) for c in value
    ):
        raise SchemaError(f"{where}: {key} must be a non-empty list of lower-case words")
    return tuple(value)


def _reported_rules(where: str, raw: Any, tax: Taxonomy) -> ReportedRules | None:
    """quotes.reported (optional): reported speech (INDIRECT / MIXED quotes) from cue words."""
    if raw is None:
        return None
    keys = {"indirect_kind", "mixed_kind", "clause_cues", "that_cues", "naming_cues",
            "listener_cues", "listeners"}
    if not isinstance(raw, dict) or set(raw) - keys:
        raise SchemaError(f"{where}: quotes.reported must be a mapping with keys {sorted(keys)}")
    return ReportedRules(
        indirect_kind=_quote_kind(where, "quotes.reported.indirect_kind", raw.get("indirect_kind"), tax),
        mixed_kind=_quote_kind(where, "quotes.reported.mixed_kind", raw.get("mixed_kind"), tax),
        clause_cues=_word_list(where, "quotes.reported.clause_cues", raw.get("clause_cues"), True),
        that_cues=_word_list(where, "quotes.reported.that_cues", raw.get("that_cues"), True),
        naming_cues=_word_list(where, "quotes.reported.naming_cues", raw.get("naming_cues"), False),
        listener_cues=_word_list(where, "quotes.reported.listener_cues", raw.get("listener_cues"), False),
        listeners=_word_list(where, "quotes.reported.listeners", raw.get("listeners"), False),
    )
