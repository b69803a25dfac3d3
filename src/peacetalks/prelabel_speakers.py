"""Who is speaking, for the reported-speech rules (prelabel_reported.py): the subject run right
before a cue ("U.S. Secretary of State Marco Rubio said"), across an appositive ("Trump,
currently on a trip in the Middle East, said") or a relative clause ("Trump himself, who
insisted"), a pronoun's antecedent (the subject of the sentence before when the pronoun opens a
sentence), and the speaker of an earlier quote in the same sentence (", adding that ...").

`SpeakerSearch` is a mixin of `prelabel_reported.Reported`: it reads the text, the sorted entity
mentions and the quotes found so far from there.
"""

from __future__ import annotations

import bisect
import re

from .model import Entity

FIRST_WORD = re.compile(r"(\w+)\b")
GAP_WORD = r"(?:has|have|had|also|meanwhile|however|again|then|later|earlier|previously|too|once|[a-z]+ly)"
LAST_WORD = re.compile(rf"(\w+)(?:\s+{GAP_WORD})*\s*$")
SUBJECT_GAP = re.compile(rf"(?:['’]s(?:\s+[a-z]+){{1,2}})?[\s,]*(?:{GAP_WORD}[\s,]+){{0,3}}")
APPOSITIVE = re.compile(rf"\s*,[^,.;:\"“”«»\n]{{1,80}},\s*(?:{GAP_WORD}\s+){{0,3}}")
RELATIVE = re.compile(rf"(?:\s+(?:himself|herself|itself))?\s*,\s*who\s+(?:{GAP_WORD}\s+){{0,3}}")
RUN_GAP = re.compile(r"(?:\s+|['’]s\s+|\s+of\s+)")  # between the mentions of one subject run


class SpeakerSearch:
    """Speaker lookups over `self.text`, `self.ents` (sorted by start), `self.starts`,
    `self.speaker_ends`, `self.speaker_labels`, `self.pronouns`, `self.found`, with
    `self.sentence`, `self.paragraph` and `self.antecedent` from the class it is mixed into."""

    def mention_at(self, pos: int) -> Entity | None:
        i = bisect.bisect_left(self.starts, pos)
        return self.ents[i] if i < len(self.ents) and self.starts[i] == pos else None

    def run_from(self, pos: int) -> tuple[Entity | None, int]:
        """The subject run starting at `pos` ("U.S. Secretary of State Marco Rubio"): its last
        speaker-capable mention and the offset where the run ends."""
        if self.text.startswith("the ", pos):
            pos += 4
        head, end = None, pos
        while (ent := self.mention_at(pos)) is not None:
            if ent.label in self.speaker_labels:
                head = ent
            end = ent.span.end
            gap = RUN_GAP.match(self.text, end)
            if gap is None:
                break
            pos = gap.end()
        return head, end

    def subject_possible(self, cue_start: int) -> bool:
        """Cheap test before the real search: a speaker mention ends shortly before the cue, or
        a pronoun or a comma stands there."""
        i = bisect.bisect_right(self.speaker_ends, cue_start)
        if i and self.speaker_ends[i - 1] > cue_start - 40:
            return True
        m = LAST_WORD.search(self.text, max(0, cue_start - 40), cue_start)
        return m is not None and (m.group(1).lower() in self.pronouns or m.group(1) in ("who", "and")) or \
            self.text[max(0, cue_start - 3) : cue_start].rstrip().endswith(",")

    def subject_before(self, cue_start: int, lo: int) -> Entity | None:
        """The speaker named (or pronoun) just before a cue, within [lo, cue_start)."""
        before = [e for e in self.ents[bisect.bisect_left(self.starts, lo) : bisect.bisect_left(
            self.starts, cue_start)] if e.span.end <= cue_start and e.label in self.speaker_labels]
        if before and SUBJECT_GAP.fullmatch(self.text, before[-1].span.end, cue_start):
            return before[-1]
        for ent in reversed(before):  # "Trump, currently on a trip in the Middle East, said"
            if APPOSITIVE.fullmatch(self.text, ent.span.end, cue_start):
                return ent
        for ent in reversed(before):  # "Trump himself, who insisted"
            if RELATIVE.fullmatch(self.text, ent.span.end, cue_start):
                return ent
        m = LAST_WORD.search(self.text[lo:cue_start])
        if m and m.group(1).lower() in self.pronouns:
            return self.pronoun_antecedent(lo + m.start(1), self.pronouns[m.group(1).lower()])
        return None

    def pronoun_antecedent(self, pos: int, labels: tuple[str, ...]) -> Entity | None:
        """A pronoun opening a sentence refers to the subject of the sentence before (within the
        paragraph or the one before): the speaker of a quote that sentence opens with, or the
        head of its opening subject run ("He emphasized that ..." after `"...," he told
        reporters, crediting Fidan and Erdogan ...` is the speaker of that quote, not Erdogan).
        Otherwise, and inside a sentence, the nearest preceding mention (`antecedent`)."""
        text = self.text
        if self.sentence(pos, *self.paragraph(pos))[0] == pos:
            prev = pos
            while prev > 0 and text[prev - 1].isspace():
                prev -= 1
            if prev > 0:
                s_start, _ = self.sentence(prev - 1, *self.paragraph(prev - 1))
                opening = [q for q in self.found if q.speaker is not None
                           and s_start <= q.span.start <= s_start + 1 and q.cue is not None]
                head = self._speaker_entity(opening[0].speaker) if opening else self.run_from(s_start)[0]
                if head is not None and head.label in labels:
                    return head
        return self.antecedent(pos, labels)

    def earlier_speaker(self, s_start: int, pos: int) -> tuple[bool, Entity | None]:
        """For `, adding that` / `and warned that`: the speaker of a quote whose cue is earlier in
        the same sentence, else the subject run opening the sentence, else a pronoun there."""
        earlier = [q for q in self.found if q.cue is not None and s_start <= q.cue.start < pos]
        if earlier:
            return True, self._speaker_entity(max(earlier, key=lambda q: q.cue.start).speaker)
        head, _ = self.run_from(s_start)
        if head is not None:
            return True, head
        m = FIRST_WORD.match(self.text, s_start, pos)
        if m and m.group(1).lower() in self.pronouns:
            return True, self.pronoun_antecedent(s_start, self.pronouns[m.group(1).lower()])
        return False, None

    def _speaker_entity(self, ent_id: str | None) -> Entity | None:
        return next((e for e in self.ents if e.id == ent_id), None)
