"""Reported speech: INDIRECT and MIXED quotes found from their reporting verb (GUIDELINES.md
section 3), for the quote pre-annotator (prelabel_quotes.py handles text between quotation marks).

Rules, each a small function; all take the cue words from the patterns file (`quotes.reported`):
1. `cue_then_clause`: `SUBJECT [aux] CUE [listener] [time/venue] [that] CONTENT` —
   `Rutte said Russia was sending ...`, `Rubio has stated that he ...`, `Fidan told reporters
   the ministers would ...`. `clause_cues` take a clause with or without "that"; `that_cues`
   ("warned", "emphasized", "adding") only with "that" (without it they usually take an object:
   "emphasized the U.S. commitment"). Without "that" the content must start like a clause (a
   capital, a pronoun, a determiner, a quotation mark). A participle cue after a comma
   (`, saying ...`, `, adding that ...`) or a cue coordinated with "and" (`and warned that`)
   takes the speaker of the sentence's earlier quote or, failing that, the sentence subject.
2. `clause_then_cue`: `CONTENT, SUBJECT CUE [short tail].` and `CONTENT, CUE SUBJECT.` —
   `Moscow remained open to dialogue, he added.`, `..., said Peskov.` Needs a named or
   pronoun subject.
3. `according_to`: `CONTENT, according to X.` and `According to X, CONTENT.` with X a
   speaker-capable mention (not "according to the plan").
4. `naming_cue`: `calling the delegation a "sham"`: a naming verb whose object holds a quoted
   fragment (hard case 5: scare quotes are a MIXED quote only with a speaker and a cue).
Content span: from the start of the clause (after "that") to the sentence end; a period inside a
closing quotation mark stays with it (hard case 12). The content stops earlier at a participle
adjunct (`, instead opting ...`, `, saying ...`), a coordinated cue (`and warned that`) and, in a
sentence opened by a subordinator (`While X's comments suggest that A, B`), at the comma that
ends the subordinate clause. Kind: MIXED when the content holds a quotation, DIRECT when it is
exactly one quotation (`said "we are ready."`: the marks left out), else INDIRECT.
Speaker: the mention ending at the cue (gap: auxiliaries and adverbs, or an appositive between
commas, or a possessive `Zelenskyy's office`), a pronoun's antecedent, or None; a that-cue
without any speaker is dropped (anonymous `that` clauses are mostly not speech: "data suggest").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from .model import Entity, Quote, Span
from .prelabel_speakers import SUBJECT_GAP, SpeakerSearch

WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# A time or venue of the speech between the cue and its content: "on Friday", "last week",
# "in a statement". Repeatable ("on Thursday in an interview").
ADVERBIAL = re.compile(
    rf"(?:\s+(?:(?:on|last|this|late|early|earlier)\s+)?(?:{WEEKDAYS})(?:\s+(?:night|morning|evening))?"
    r"|\s+(?:last|this|earlier\s+this|late\s+last)\s+(?:week|month|year|weekend)"
    r"|\s+in\s+an?\s+(?:statement|interview|speech|post|letter|video|address|briefing"
    r"|(?:press|news)\s+conference))*"
)
SPEAKER_ENDS = re.compile(r"[\s,.;]*$|\s*[,.;]")
WORD_SPACE = re.compile(r"\w+\s+")
SENTENCE_REST = re.compile(r"\s*[.!?]?\s*")
PUNCT = re.compile(r"[.!?](?=[\"”»]?(?:\s|$))")
THAT = re.compile(r"\s+that\s+")
# How a reported clause starts when "that" is left out.
CLAUSE_START = re.compile(
    r"\s+(?![a-z]+ly\b)(?!(?:on|in|at|to|for|with|by|from|about|after|before|during|as|of|so|"
    r"while|when|if|but|and|or|not|nothing|goodbye|yes|more|much|little|up|out|off|over|into|"
    r"through|again|also|then|later|earlier|how|why|what|where|whether|which|who)\b)(?=[\w\"“«])"
)
# Between a subject mention and its cue: auxiliaries, adverbs, commas ("Rutte, meanwhile, said",
# "Zelensky has also said"); a possessive ("Rubio's comments suggest", "Zelenskyy's office").
AUX = re.compile(r"(?:\b(?:has|have|had|will|would|did|does|do)\s+(?:not\s+)?)$")
SUBORDINATOR = re.compile(r"(?:While|Although|Though|Whereas|Even though|Because|Since|If|Unless)\b")
# Words in -ing that do not start a participle adjunct.
NOT_PARTICIPLE = frozenset(
    "including according during regarding concerning following excluding notwithstanding pending "
    "considering nothing something anything everything morning evening meeting building spring "
    "king thing bring string ring wing during funding fighting shelling bombing".split())
ADJUNCT = re.compile(r",\s+(?:instead\s+|also\s+|while\s+)?([a-z]{3,}ing)\b")
LIST_ING = re.compile(r"\band\s+[a-z]+ing\b")
COORDINATED = re.compile(r"\band\s+(?:(?:has|have|had)\s+)?$")  # "... and warned that"
ACCORDING = re.compile(r"[Aa]ccording to")
ACCORDING_AFTER = re.compile(r",\s+according to\b")
MARKS = "\"“”«»„"
MARK_RE = re.compile("[" + MARKS + "]")
CLOSING = "\"”»"
# After the cue of `CONTENT, X said ...`: a short place or time phrase, then the sentence end.
QUICK_TAIL = re.compile(r"(?:\s+(?:to|at|in|on|after|before|during|from)\b[^,;:\"“”.!?]{0,40})?\s*(?:[.!?]|$)")
TAIL = re.compile(r"(?:\s+(?:to|at|in|on|after|before|during|from)\b[^,;:\"“”]{0,40})?\s*[.!?]?\s*")


@dataclass(frozen=True)
class ReportedRules:
    indirect_kind: str
    mixed_kind: str
    clause_cues: tuple[str, ...]  # with or without "that"
    that_cues: tuple[str, ...]  # only with "that"
    naming_cues: tuple[str, ...] = ()  # only with a quoted fragment in their object
    listener_cues: tuple[str, ...] = ()  # followed by who was told ("told reporters")
    listeners: tuple[str, ...] = ()

    @cached_property
    def cue_regex(self) -> re.Pattern[str]:
        words = sorted(set(self.clause_cues + self.that_cues + self.naming_cues), key=len, reverse=True)
        return re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")

    @cached_property
    def automaton(self):
        """Every cue word (and "according to") in one Aho-Corasick automaton: one C-speed scan
        of the text instead of a regex alternation tried at every offset."""
        import ahocorasick

        auto = ahocorasick.Automaton()
        for word in {*self.clause_cues, *self.that_cues, *self.naming_cues, "according to",
                     "According to"}:
            auto.add_word(word, len(word))
        auto.make_automaton()
        return auto

    def hits(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every whole-word cue in `text`, left to right (longest first at one
        start: "suggests" before "suggest")."""
        out = []
        n = len(text)
        for last, length in self.automaton.iter_long(text):  # longest at each start
            start, end = last + 1 - length, last + 1
            if (start and (text[start - 1].isalnum() or text[start - 1] in "_'’-")) or (
                    end < n and (text[end].isalnum() or text[end] == "_")):
                continue
            out.append((start, end))
        out.sort(key=lambda h: (h[0], -h[1]))
        return out

    @cached_property
    def listener_regex(self) -> re.Pattern[str]:
        return re.compile(r"\s+(?:" + "|".join(map(re.escape, self.listeners or ("reporters",))) + r")\b")


def _words(text: str) -> int:
    return len(text.split())


class Reported(SpeakerSearch):
    """Reported-speech quotes of one text. `antecedent(pos, labels)` and `pronouns` come from the
    direct-quote finder (same pronoun rule); `quoted` are the (open, close+1) ranges of every
    quotation; `taken` the quotes already found (direct ones win over reported ones)."""

    def __init__(self, text: str, entities: Sequence[Entity], speaker_labels: Sequence[str],
                 rules: ReportedRules, pronouns: dict[str, tuple[str, ...]],
                 antecedent: Callable[[int, tuple[str, ...]], Entity | None],
                 quoted: Sequence[tuple[int, int]], sentence_end: re.Pattern[str],
                 region_id: Callable[[str, str, int, int], str], direct_kind: str):
        self.text = text
        self.direct_kind = direct_kind
        self.ents = sorted(entities, key=lambda e: e.span.start)
        self.starts = [e.span.start for e in self.ents]
        self.speaker_ends = sorted(e.span.end for e in self.ents if e.label in speaker_labels)
        self.speaker_labels = set(speaker_labels)
        self.rules = rules
        self.pronouns = pronouns
        self.antecedent = antecedent
        self.quoted = sorted(quoted)
        self.quote_starts = [a for a, _ in self.quoted]
        self.sentence_end = sentence_end
        self.region_id = region_id
        self.found: list[Quote] = []
        self._ends: dict[int, list[int]] = {}
        self.hits: Sequence[tuple[int, int]] = ()  # the cue words (set by `find_reported`)
        self.hit_starts: list[int] = []

    def ends(self, p_start: int, p_end: int) -> list[int]:
        """The sentence ends of a paragraph (offsets after them), computed once per paragraph.
        Candidates first: the end pattern's look-behinds are slow when tried at every offset."""
        got = self._ends.get(p_start)
        if got is None:
            text, end_at = self.text, self.sentence_end.match
            got = [m.end() for m in (end_at(text, c.start(), p_end) for c in PUNCT.finditer(
                text, p_start, p_end)) if m is not None]
            if self.quoted and self.quoted[0][0] < p_end and self.quoted[-1][1] > p_start:
                got = [e for e in got if not self.inside_quote(e)]
            self._ends[p_start] = got
        return got

    # ---- small text helpers ----
    def paragraph(self, pos: int) -> tuple[int, int]:
        end = self.text.find("\n", pos)
        return self.text.rfind("\n", 0, pos) + 1, len(self.text) if end < 0 else end

    def inside_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.quote_starts, pos) - 1
        return i >= 0 and pos < self.quoted[i][1]

    def sentence(self, pos: int, p_start: int, p_end: int) -> tuple[int, int]:
        """(start, end) of the sentence holding `pos`; a sentence end inside a quotation does
        not count, one closing it (`reception."`) does."""
        ends = self.ends(p_start, p_end)
        i = bisect.bisect_right(ends, pos)
        start = ends[i - 1] if i else p_start
        end = ends[i] if i < len(ends) else p_end
        while start < pos and self.text[start].isspace():
            start += 1
        return start, end

    def content_end(self, s: int, s_start: int, s_end: int) -> int:
        """Where the reported clause starting at `s` ends (see the module docstring)."""
        text = self.text
        e = s_end
        m = self.sentence_end.search(text, max(s, s_end - 3), s_end)
        if m is not None and m.end() == s_end:
            # `talks."`: period and mark stay; `talks".` / `talks.`: the period goes
            e = m.end() if m.group()[-1] in CLOSING else m.start()
        for q in self.found:  # `talks."I myself ...` (no space): a direct quote starts there
            if s < q.span.start < e:
                e = q.span.start - (text[q.span.start - 1] in MARKS)
        for adj in ADJUNCT.finditer(text, s, e):
            if (adj.group(1) not in NOT_PARTICIPLE and not self.inside_quote(adj.start())
                    and not LIST_ING.search(text, adj.end(), e)):  # "burden-sharing, strengthening
                e = adj.start()                                     # ..., and advancing": a list
                break
        for cue_start, _ in self.hits[bisect.bisect_right(self.hit_starts, s) :]:
            if cue_start >= e:
                break
            if COORDINATED.search(text, max(s, cue_start - 9), cue_start) \
                    and not self.inside_quote(cue_start):
                e = text.rfind("and", s, cue_start)
                break
        acc = ACCORDING_AFTER.search(text, s, e)
        if acc:
            e = acc.start()
        if SUBORDINATOR.match(text, s_start) and s_start < s:
            comma = max((i for i in range(s, e) if text[i] == "," and not self.inside_quote(i)),
                        default=None)
            if comma is not None:
                e = comma
        while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–-" or text[e - 1] == "." and e < s_end
                         and (text[e - 2].islower() or text[e - 2].isdigit())):
            e -= 1
        return e

    def make(self, s: int, e: int, speaker: Entity | None, cue: Span | None) -> Quote | None:
        text = self.text
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s or _words(text[s:e]) < 3:
            return None
        marks = [m.start() for m in MARK_RE.finditer(text, s, e)]
        kind = self.rules.indirect_kind
        if marks:
            if len(marks) % 2:
                return None  # an unpaired mark: the clause boundary is wrong
            kind = self.rules.mixed_kind
            if marks == [s, e - 1]:  # exactly one quotation: DIRECT, marks left out
                kind, s, e = self.direct_kind, s + 1, e - 1
                while s < e and text[s].isspace():
                    s += 1
                while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
                    e -= 1
                if _words(text[s:e]) < 3:
                    return None
        cue_id = None if cue is None else self.region_id("c", "cue", cue.start, cue.end)
        return Quote(self.region_id("q", kind, s, e), Span(s, e, text[s:e]), kind,
                     None if speaker is None else speaker.id, cue, cue_id)

    def cue_span(self, m: re.Match[str], lo: int) -> Span:
        """The cue with its auxiliaries and negation ("has stated", "did not say")."""
        aux = AUX.search(self.text, max(lo, m.start() - 14), m.start())
        start = m.start() if aux is None else aux.start()
        return Span(start, m.end(), self.text[start : m.end()])

    # ---- the rules ----
    def cue_then_clause(self, m: re.Match[str], p_start: int, p_end: int) -> Quote | None:
        text, word = self.text, m.group().lower()
        pos = m.end()  # what follows the cue first: most cue words in a text fail there
        if word in self.rules.listener_cues:
            lst = self.rules.listener_regex.match(text, pos)
            if lst is not None:
                pos = lst.end()
            else:
                head, end = self.run_from(pos + 1) if text[pos : pos + 1] == " " else (None, pos)
                if head is None:
                    return None
                pos = end
        pos = ADVERBIAL.match(text, pos).end()
        that = THAT.match(text, pos)
        if that is not None:
            s = that.end()
        elif word in self.rules.clause_cues and CLAUSE_START.match(text, pos):
            s = CLAUSE_START.match(text, pos).end()
            head, end = self.run_from(s)
            if head is not None and SPEAKER_ENDS.match(text[end : end + 2] + " "):
                return None  # "..., said Peskov." / "said Rubio, who": the speaker, not content
        else:
            return None
        if word not in self.rules.clause_cues and not self.subject_possible(m.start()):
            return None  # a that-cue needs a speaker
        s_start, s_end = self.sentence(m.start(), p_start, p_end)
        cue = self.cue_span(m, s_start)
        cue_start = cue.start
        if word in self.rules.naming_cues:
            return None
        before = text[max(s_start, cue_start - 6) : cue_start]
        if word.endswith("ing") and before.rstrip().endswith(",") or COORDINATED.search(before):
            ok, speaker = self.earlier_speaker(s_start, cue_start)
            if not ok:
                return None
        else:
            speaker = self.subject_before(cue_start, s_start)
        if speaker is None and word not in self.rules.clause_cues:
            return None
        return self.make(s, self.content_end(s, s_start, s_end), speaker, cue)

    def clause_then_cue(self, m: re.Match[str], p_start: int, p_end: int) -> Quote | None:
        text = self.text
        if m.group().lower().endswith("ing") or text.rfind(",", max(p_start, m.start() - 90),
                                                           m.start()) < 0:
            return None
        tail = ADVERBIAL.match(text, m.end()).end()
        inverted = self.mention_at(tail + 1) is not None
        if not (inverted or QUICK_TAIL.match(text, tail) and self.subject_possible(m.start())):
            return None
        s_start, s_end = self.sentence(m.start(), p_start, p_end)
        cue = self.cue_span(m, s_start)
        comma = text.rfind(",", s_start, cue.start)
        if comma < 0 or self.inside_quote(comma) or text[s_start] in MARKS:
            return None
        frame = comma + 1 + len(text[comma + 1 : cue.start]) - len(text[comma + 1 : cue.start].lstrip())
        if frame == cue.start:  # ", said Kremlin spokesman Dmitry Peskov."
            speaker, tail = self.run_from(tail + 1) if text[tail : tail + 1] == " " else (None, tail)
        else:  # ", U.S. Secretary of State Marco Rubio said on Friday." / ", he added."
            speaker = self.subject_before(cue.start, comma + 1)
            head, run_end = self.run_from(frame)
            subject_only = (head is not None and head == speaker
                            and SUBJECT_GAP.fullmatch(text, run_end, cue.start)) or (
                WORD_SPACE.fullmatch(text, frame, cue.start)
                and text[frame : cue.start].strip().lower() in self.pronouns)
            if not subject_only:
                return None
        if speaker is None or not TAIL.fullmatch(text, tail, s_end):
            return None
        return self.make(s_start, comma, speaker, cue)

    def according_to(self, m: re.Match[str], p_start: int, p_end: int) -> Quote | None:
        text = self.text
        s_start, s_end = self.sentence(m.start(), p_start, p_end)
        cue = Span(m.start(), m.end(), m.group())
        speaker, end = self.run_from(m.end() + 1)
        if speaker is None or end == m.end() + 1:
            return None
        if m.start() == s_start and text[end : end + 1] == ",":  # "According to X, CONTENT."
            s = end + 1 + len(text[end + 1 : s_end]) - len(text[end + 1 : s_end].lstrip())
            return self.make(s, self.content_end(s, s_start, s_end), speaker, cue)
        if text[m.start() - 2 : m.start()] == ", " and SENTENCE_REST.fullmatch(text, end, s_end):
            return self.make(s_start, m.start() - 2, speaker, cue)
        return None

    def naming_cue(self, m: re.Match[str], p_start: int, p_end: int) -> Quote | None:
        text = self.text
        s_start, s_end = self.sentence(m.start(), p_start, p_end)
        if not CLAUSE_START.match(text, m.end()):
            return None
        s = m.end() + 1
        e = self.content_end(s, s_start, s_end)
        if not any(ch in "\"“«" for ch in text[s:e]) or _words(text[s:e]) > 15:
            return None
        if text[max(s_start, m.start() - 3) : m.start()].rstrip().endswith(","):
            _, speaker = self.earlier_speaker(s_start, m.start())
        else:
            speaker = self.subject_before(m.start(), s_start)
        if speaker is None:
            return None
        return self.make(s, e, speaker, Span(m.start(), m.end(), m.group()))


def find_reported(text: str, paragraphs: Sequence[tuple[int, int]], reported: Reported,
                  taken: Sequence[Quote], hits: Sequence[tuple[int, int]]) -> list[Quote]:
    """Every reported-speech quote, left to right, not overlapping a quote in `taken` (the
    direct quotes, which win) nor an earlier reported one. `hits`: `ReportedRules.hits(text)`."""
    rules = reported.rules
    spans = [(q.span.start, q.span.end) for q in taken]
    used_cues = {(q.cue.start, q.cue.end) for q in taken if q.cue is not None}
    reported.found = list(taken)  # their cues and speakers serve `, adding that ...`
    reported.hits, reported.hit_starts = hits, [h[0] for h in hits]
    p_starts = [p[0] for p in paragraphs]
    last_start = -1
    for start, end in hits:
        if start == last_start or reported.inside_quote(start) or (start, end) in used_cues:
            continue
        last_start = start
        p_start, p_end = paragraphs[bisect.bisect_right(p_starts, start) - 1]
        if text[start] in "aA" and text.startswith("ccording to", start + 1):
            q = reported.according_to(ACCORDING.match(text, start), p_start, p_end)
        else:
            m = rules.cue_regex.match(text, start)
            if m is None:
                continue
            if m.group() in rules.naming_cues:
                q = reported.naming_cue(m, p_start, p_end)
            else:
                q = reported.cue_then_clause(m, p_start, p_end) or reported.clause_then_cue(
                    m, p_start, p_end)
        if q is not None and all(q.span.end <= s or e <= q.span.start for s, e in spans):
            reported.found.append(q)
            spans.append((q.span.start, q.span.end))
    return reported.found[len(taken):]
