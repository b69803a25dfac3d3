"""Boilerplate detection on lines/blocks ("units") of a page, by features rather than by strings.

Three layers, cheapest first:
1. per unit: families of patterns for things every news site prints around an article (consent
   banners, error pages, legal small print, contact lines, share/nav/menu words, promos, captions
   and photo credits, bylines and credits, timestamps, "related"/"most read" headers), each gated
   by length so that a long prose paragraph that merely mentions "share" or "copyright" survives;
2. per document: repetition (menus printed twice are dropped everywhere, a repeated prose block is
   kept once, a standfirst that reappears as the start of a paragraph is kept once) and shapes
   (runs of short unpunctuated lines are link lists, separator-laden lines are menus);
3. position: prose units form clusters; the largest is the article, other clusters survive only if
   they are substantial; everything outside the kept clusters is page furniture.

Reasons are short stable strings (tests assert on them). No global state: all functions take and
return plain values, so they can run under any executor.
"""

from __future__ import annotations

import re

import ahocorasick

from .boilerplate_articles import second_article
from .boilerplate_inline import BOX_OR_BIO, keep_neighbours, keep_subheadings, mark_boxes, mark_quoted_speech
from .boilerplate_rules import (  # the rule data; the logic is here
    FAMILIES,
    _NAV_WORDS,
    _MENU_SPLIT,
    _FUNCTION_WORDS,
    _WORD,
    _LETTER,
    _NON_LATIN_LETTER,
    _TERMINAL,
    _CLOSERS,
    _TRIGGERS,
    _TOKENS,
    _ALWAYS_CHECK,
    _YEAR_TAIL,
    _NOT_IN_SENTENCES,
    HARD_REASONS,
    INLINE_BOXES,
    ARTICLE_BEFORE_THREAD,
    _BIO_HEAD,
    LONG_UNIT_WORDS,
    _LONG_PHRASES,
    _TAIL_FAMILIES,
    _CREDIT_HINTS,
    _GATES,
    has_ascii_folds,
)


def _rule(reason: str, max_words: int, pattern: re.Pattern[str]) -> tuple:
    icase = bool(pattern.flags & re.IGNORECASE) or "(?i" in pattern.pattern
    return (reason, reason.split("~")[0], max_words, pattern, _GATES.get(reason), icase,
            _TRIGGERS.get(reason), reason in _NOT_IN_SENTENCES)


# FAMILIES with everything a unit's check needs, precomputed: (reason, reported reason, max words,
# regex, literal gate, case-insensitive?, trigger words, not in sentences?).
_RULES = tuple(_rule(*family) for family in FAMILIES)
_TAIL_RULES = tuple(r for r in _RULES if r[0] in _TAIL_FAMILIES)
def _phrase_automaton() -> ahocorasick.Automaton:
    """All of _LONG_PHRASES in one Aho-Corasick automaton (one pass over a paragraph finds every
    phrase in it; testing each phrase with `in` cost ~10 µs per paragraph). Value: the bit mask
    of the _LONG_PHRASES entries the phrase belongs to."""
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for phrase in sorted({p for _, _, phrases in _LONG_PHRASES for p in phrases}):
        mask = sum(1 << i for i, (_, _, phrases) in enumerate(_LONG_PHRASES) if phrase in phrases)
        automaton.add_word(phrase, mask)
    automaton.make_automaton()
    return automaton


_PHRASES = _phrase_automaton()
_PHRASE_MAX_WORDS = max(max_words for _, max_words, _ in _LONG_PHRASES)
# The families that apply to a short unit, by (word count, is it a sentence?): the word-count and
# sentence gates decided once instead of per unit.
_SHORT_RULES = {
    (n, sentence): tuple((r[0], r[1], r[3], r[4], r[5], r[6]) for r in _RULES
                         if n <= r[2] and not (sentence and r[7]))
    for n in range(LONG_UNIT_WORDS + 1) for sentence in (False, True)
}
# Every match of _MENU_SPLIT contains one of these (a cheap scan before the split).
_MENU_HINT = re.compile(r"[|•·»›>/]|\s{3}")
# ... and those of them that have no trigger words (all a unit without any trigger word needs).
_UNTRIGGERED = {key: tuple(r for r in rules if r[5] is None) for key, rules in _SHORT_RULES.items()}
_ALL_TRIGGERS = frozenset().union(*_TRIGGERS.values())


def _gated_out(gate: tuple[str, ...] | None, icase: bool, text: str, lower: str, exact: bool) -> bool:
    """True when the family's regex cannot match: none of its gate literals occurs."""
    if gate is None:
        return False
    if icase:
        return exact and not any(map(lower.__contains__, gate))
    return not any(map(text.__contains__, gate))


def is_terminal(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def _long_unit_reason(text: str, n_words: int, lower: str) -> str | None:
    if n_words <= _PHRASE_MAX_WORDS:
        found = 0  # bit i: a phrase of _LONG_PHRASES[i] occurs
        for _, mask in _PHRASES.iter("\n" + lower):  # "\n": the start (_CREDIT_OPENERS)
            found |= mask
        if found:
            for i, (reason, max_words, _) in enumerate(_LONG_PHRASES):
                if found >> i & 1 and n_words <= max_words:
                    return reason
    # Caption credit tails and scene captions are recognised on the last sentence only; the bio
    # pattern is anchored at the start, so its head is enough.
    cut = max(text.rfind(". ", 0, len(text) - 2), text.rfind("? ", 0, len(text) - 2))
    tail = text[cut + 2 :] if cut >= 0 else text
    tail = tail[-300:]
    for reason, reported, max_words, pattern, gate, icase, _, _ in _TAIL_RULES:
        if n_words > max_words:
            continue
        if reason == "caption":
            tail_lower = tail.lower()
            if not any(map(tail_lower.__contains__, _CREDIT_HINTS)) or _gated_out(
                gate, icase, tail, tail_lower, not has_ascii_folds(tail)
            ):
                continue
            subject = tail
        elif reason == "caption~scene":
            if not _YEAR_TAIL.search(text[-12:]):
                continue
            subject = tail
        else:  # bio
            head = text[:80]
            if not any(map(head.__contains__, _BIO_HEAD)):
                continue
            subject = text[:160]
            if _gated_out(gate, icase, subject, subject.lower() if icase else subject, True):
                continue
        if pattern.search(subject):
            return reported
    return None


def unit_reason(text: str, n_words: int, lower: str | None = None) -> str | None:
    """Why a single line/block is boilerplate on its own, or None (`lower`: text.lower(), if known)."""
    if not _LETTER.search(text):
        return "no-words"
    if lower is None:
        lower = text.lower()
    sentence = n_words >= 7 and is_terminal(text)
    if n_words > LONG_UNIT_WORDS:
        return _long_unit_reason(text, n_words, lower) or _foreign(text)
    # The trigger words present (a set intersection in C, instead of a set of all tokens).
    hits = _ALL_TRIGGERS.intersection(_TOKENS.findall(lower)) if len(text) > _ALWAYS_CHECK else None
    exact: bool | None = None  # may the literal gates be used? (computed when first needed)
    rules = _SHORT_RULES[n_words, sentence] if hits is None or hits else _UNTRIGGERED[n_words, sentence]
    for reason, reported, pattern, gate, icase, triggers in rules:
        if hits is not None and triggers is not None and triggers.isdisjoint(hits):
            continue
        if reason == "caption~scene" and not _YEAR_TAIL.search(text[-12:]):
            continue
        if gate is not None:
            if exact is None:
                exact = not has_ascii_folds(text)
            if _gated_out(gate, icase, text, lower, exact):
                continue
        if pattern.search(text):
            return reported
    if n_words <= 12:
        for word in _WORD.finditer(text):  # usually decided by the first word
            if word.group().lower() not in _NAV_WORDS:
                break
        else:
            return "navigation"
        terminal = is_terminal(text)
        if not terminal and _MENU_HINT.search(text) and len(_MENU_SPLIT.split(text)) >= 3:
            return "menu"
        if n_words >= 5 and not terminal:
            letters = _WORD.findall(text)
            if all(w[0].isupper() for w in letters) and not any(
                map(_FUNCTION_WORDS.__contains__, map(str.lower, letters))
            ):
                return "menu"
    return _foreign(text)


# Characters that can never match _NON_LATIN_LETTER (checked over every code point): ASCII, Latin
# letters, general punctuation and the Latin-1 signs that are not letters or numbers. A positive
# range class scans several times faster than the category-based _NON_LATIN_LETTER.
_MAYBE_NON_LATIN = re.compile(r"[^\x00-\xa9\xab-\xb1\xb4\xb6-\xb8\xbb\xbf-\u024f\u1e00-\u1eff\u2000-\u206f]")


def _foreign(text: str) -> str | None:
    if not text.isascii() and _MAYBE_NON_LATIN.search(text) and _NON_LATIN_LETTER.search(text):
        foreign = len(_NON_LATIN_LETTER.findall(text))
        if foreign * 2 > len(_LETTER.findall(text)):
            return "foreign-script"
    return None


def is_prose(text: str, n_words: int) -> bool:
    """A sentence-bearing paragraph: long enough and ending like a sentence (or very long)."""
    if n_words >= 20:
        return True
    if n_words < 8 or not is_terminal(text):
        return False
    # A short question or exclamation on its own line is a headline far more often than prose.
    return text.rstrip(_CLOSERS)[-1] not in "?!" or n_words >= 16


def dedup_key(text: str, lower: str | None = None) -> str:
    """Lower case, whitespace-normalised, trailing punctuation ignored: "the same line" for
    repetition. (A full punctuation-blind key costs a slow non-ASCII translate per unit.)
    `lower`: text.lower(), when the caller has it already."""
    key = text.lower() if lower is None else lower
    if "  " in key or "\n" in key or "\t" in key:
        key = " ".join(key.split())
    return key.rstrip(" .!?:;,…").lstrip(" -–—•·*")


class Unit:
    """One line (or one block of hard-wrapped lines) of the decoded page and what we decided."""

    __slots__ = ("text", "start", "end", "n_words", "key", "drop", "prose", "collapsed")

    def __init__(self, text: str, start: int, end: int, spaces_only: bool = False):
        self.text = text
        self.start = start
        self.end = end
        # `spaces_only`: the caller knows that " " is the only whitespace in `text` and that it
        # neither starts nor ends with it. Without double spaces the text is then its own
        # whitespace-collapsed form, and counting spaces counts words (no split of a long line).
        if spaces_only and "  " not in text:
            self.n_words = text.count(" ") + 1
            self.collapsed: str | None = text  # valid while `text` is this very string
        else:
            self.n_words = len(text.split())
            self.collapsed = None
        self.key = ""
        self.drop: str | None = None
        self.prose = False

    def collapse(self) -> str:
        """The text with its whitespace collapsed to single spaces (" ".join(text.split()))."""
        if self.text is self.collapsed:
            return self.text
        return " ".join(self.text.split())

    def __repr__(self) -> str:  # for debugging and test failure messages
        return f"Unit({self.text[:50]!r}, drop={self.drop}, prose={self.prose})"


def classify(units: list[Unit]) -> None:
    """Per-unit families, then repetition, then list shapes (marks `drop` and `prose` in place)."""
    boxes: list[int] = []  # sign-up/consent/bio/ad units, for mark_boxes
    for i, u in enumerate(units):
        lower = u.text.lower()  # once for the families and the key
        if u.drop is None:
            u.drop = unit_reason(u.text, u.n_words, lower)
        u.key = dedup_key(u.text, lower)
        if u.drop is None:
            u.prose = is_prose(u.text, u.n_words)
        elif u.drop in BOX_OR_BIO:
            boxes.append(i)
    mark_repeats(units)
    if boxes:
        mark_boxes(units, boxes)
    mark_quoted_speech(units)
    mark_teasers(units)
    mark_link_lists(units)


def mark_repeats(units: list[Unit]) -> None:
    """Repeated prose is kept once; repeated short lines (menus, language pickers, headlines
    printed twice) are furniture everywhere; a block that is the beginning of a later, longer
    block (a standfirst reused as the first sentence) is kept only in the longer one."""
    seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    for u in units:
        if u.key:
            counts[u.key] = counts.get(u.key, 0) + 1
    repeated: list[int] = []  # dropped for repetition alone
    for i, u in enumerate(units):
        if not u.key:
            continue
        if counts[u.key] > 1 and not u.prose:
            if u.drop is None:
                u.drop = "repeated"
                repeated.append(i)
        elif u.key in seen:
            u.drop = u.drop or "duplicate"
        seen.setdefault(u.key, i)
    if repeated:
        keep_subheadings(units, repeated)
    # Prefix containment in O(n log n): a key that prefixes another sorts right before it.
    ordered = sorted((u for u in units if u.prose and u.drop is None), key=lambda u: u.key)
    for a, b in zip(ordered, ordered[1:]):
        if a.n_words >= 8 and b.key.startswith(a.key) and not b.key[len(a.key) : len(a.key) + 1].isalnum():
            a.drop = "duplicate"
            a.prose = False


def mark_link_lists(units: list[Unit], min_run: int = 3) -> None:
    """Runs of >= 3 short, unpunctuated (or bulleted) lines are link lists: related stories,
    section menus, tag clouds. A lone short line between paragraphs is a subheading and stays."""
    run: list[Unit] = []
    for u in (*units, None):
        listy = u is not None and not u.prose and (
            u.drop in (None, "repeated", "navigation", "menu", "related")
            and (u.n_words <= 15 and not is_terminal(u.text) or u.text[:2] in ("- ", "* ", "• ", "· "))
        )
        if listy:
            run.append(u)  # type: ignore[arg-type]
            continue
        if len(run) >= min_run:
            for r in run:
                r.drop = r.drop or "link-list"
        run = []


def _sandwiched(units: list[Unit], i: int) -> bool:
    """An inline "Read more: ..." line between two paragraphs does not end the article."""
    return 0 < i < len(units) - 1 and units[i - 1].prose and units[i + 1].prose and units[i].drop != "end-notes"


def _in_button_bar(units: list[Unit], i: int) -> bool:
    """"Share / Comments (48) / Tweet": a comment count among buttons is a share bar, not a thread."""
    return units[i].drop == "comments" and any(
        0 <= j < len(units) and units[j].drop == "navigation" for j in (i - 1, i + 1))


def _one_sentence(u: Unit) -> bool:
    body = u.text.rstrip(_CLOSERS)[:-1]
    return u.n_words <= 30 and not any(body.count(p) for p in (". ", "? ", "! "))


def mark_teasers(units: list[Unit]) -> None:
    """Headline + one-sentence blurb, at least twice in a row: a list of other stories."""
    i = 0
    while i < len(units) - 3:
        j = i
        while (j + 1 < len(units) and not units[j].prose and units[j].drop in (None, "repeated")
               and units[j].n_words <= 15 and units[j + 1].prose and units[j + 1].drop is None
               and _one_sentence(units[j + 1])):
            j += 2
        # Two pairs right before more prose are how articles open (headline, epigraph and its
        # attribution, a one-sentence lede): only longer runs are a list there.
        if j - i >= 6 or (j - i == 4 and not (j < len(units) and units[j].prose)):
            for u in units[i:j]:
                u.drop = "teaser"
                u.prose = False
            i = j
        else:
            i += 1


def select_main(units: list[Unit], gap: int = 4, keep_ratio: float = 0.35) -> tuple[int, int] | None:
    """Mark everything outside the article's prose clusters as "outside-main"; return the
    (first, last) unit index of the kept region, or None when there is no prose at all."""
    clusters: list[list[int]] = []
    splits: list[tuple[int, bool]] = []  # per cluster: (boundary before it, within the gap?)
    last = -10**9
    boundary = 0  # since the last prose unit: 0 none, 1 only INLINE_BOXES, 2 another hard reason
    thread = 0  # clusters before a reader-comment thread (0: no thread after an article)
    for i, u in enumerate(units):
        if u.prose and u.drop is None:
            if clusters and i - last - 1 < gap and not boundary:
                clusters[-1].append(i)
            else:
                splits.append((boundary, i - last - 1 < gap))
                clusters.append([i])
            last = i
            boundary = 0
        elif u.drop in HARD_REASONS and not _sandwiched(units, i) and not _in_button_bar(units, i):
            boundary = 1 if boundary < 2 and u.drop in INLINE_BOXES else 2
            # Nothing of the article follows its comments (a long thread outweighs the article)
            if u.drop == "comments" and not thread and sum(map(len, clusters)) >= ARTICLE_BEFORE_THREAD:
                thread = len(clusters)
    cut = second_article(units, clusters, thread) or thread  # ... nor of a second story under it
    if cut:
        del clusters[cut:], splits[cut:]
    if not clusters:
        for u in units:
            u.drop = u.drop or "outside-main"
        return None
    weight = [sum(len(units[i].text) for i in c) for c in clusters]
    main = max(weight)
    keep = [w >= keep_ratio * main for w in weight]
    if len(clusters) > 1:
        keep_neighbours(keep, splits)
    kept = [c for c, k in zip(clusters, keep) if k]
    inside = bytearray(len(units))
    for c in kept:
        for i in range(c[0], c[-1] + 1):
            inside[i] = 1
    for i, u in enumerate(units):
        if not inside[i]:
            u.drop = u.drop or "outside-main"
        elif u.drop is None and not u.prose and u.n_words <= 2 and not is_terminal(u.text):
            u.drop = "fragment"  # a stray label ("Video", "ANTALYA") inside the article
    return kept[0][0], kept[-1][-1]
