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

# --- per-unit pattern families: (reason, max words for the family to apply, regex) -------------
_I = re.IGNORECASE
_AGENCIES = (
    r"reuters|afp|agence france-presse|ap|associated press|getty(?: images)?|epa(?:-efe)?|"
    r"anadolu(?: agency)?|aa|tass|sputnik|ria novosti|xinhua|bloomberg|pool|shutterstock|alamy|"
    r"ukrinform|unian|handout|pa(?: wire| media)?|dpa|efe|ansa|kyodo|yonhap|sipa|abaca|"
    r"press service|presidential press service|imago|zuma(?: press)?|nurphoto|sopa images"
)
FAMILIES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("consent", 90, re.compile(
        r"\bcookies?\b.{0,80}\b(?:use|using|accept|consent|settings|polic(?:y|ies)|preferences|agree|browser)"
        r"|\b(?:use|accept|consent to|agree to)\b.{0,40}\bcookies?\b"
        r"|\bby (?:continuing|using (?:this|our) (?:site|website))\b"
        r"|\bwe (?:value|respect|care about) your privacy\b|\bmanage (?:your )?(?:consent|cookies|privacy)\b"
        r"|^(?:accept|reject|allow|decline)(?: all)?(?: cookies)?$|\bconsent preferences\b"
        r"|\bpersonal data\b.{0,80}\b(?:partners|vendors|advertis)", _I)),
    ("error-page", 30, re.compile(
        r"^(?:error\W*)?[45]\d\d\b\W*(?:error|forbidden|not found|unauthori[sz]ed|gone|"
        r"service unavailable|internal server error|bad gateway)?\W*$"
        r"|\bpage (?:you (?:were|are) looking for|you requested|(?:could|can)(?: ?not|'t) be found|"
        r"not found|does(?: not|n't) exist|(?:is|was) (?:unavailable|not available)|has (?:been )?(?:moved|removed))"
        r"|^(?:sorry|oops|whoops|error|access denied|forbidden|not found|page not found)\b\W*$"
        r"|\b(?:enable|turn on) javascript\b|\byour browser (?:is not|isn't|does not|doesn't)\b"
        r"|\bare you a robot\b|\bverify(?:ing)? (?:that )?you are (?:a )?human\b|\bchecking your browser\b"
        r"|\bplease (?:try again|refresh the page)\b", _I)),
    ("legal", 140, re.compile(
        r"\bdisclaimer\b|\ball rights reserved\b|\bwithout (?:any )?warrant(?:y|ies)\b"
        r"|(?:©|\(c\)\s|\bcopyright\b\s*(?:©\s*)?(?=\d{4}|[A-Z]))"
        r"|\bmay not be (?:re)?(?:published|produced|printed|distributed|broadcast|written)"
        r"|\b(?:reproduction|redistribution|republication|republishing)\b.{0,40}\b(?:prohibited|permission|without)"
        r"|\bterms (?:of|and) (?:use|service|conditions)\b|\bprivacy (?:policy|notice|statement)\b"
        r"|\blicen[cs]e (?:no\b|number|#)|\bicp\b|许可证|备案|\bunauthori[sz]ed (?:use|copying|reproduction)\b"
        r"|\bthe (?:views|opinions) expressed\b|\bdoes not (?:necessarily )?reflect\b.{0,40}\b(?:views|position)"
        r"|\b(?:accept|assume)s? no (?:responsibility|liability)\b|\bfor (?:general )?information(?:al)? purposes only\b"
        r"|\bnot (?:constitute|be construed as) (?:\w+ )?advice\b|\bcontent (?:is|was) (?:provided|supplied) by\b"
        r"|\bour standards\b|\btrust principles\b|\bthis article is more than \d+ \w+ old\b", _I)),
    ("contact", 16, re.compile(
        r"\b(?:hot ?line|help ?line|tip ?line|call us|contact us|email us|write to us|customer service)\b"
        r"|\b(?:tel|phone|fax|mob|e-?mail)\s*[.:]|[\w.+-]+@[\w-]+\.[\w.]+", _I)),
    ("advertisement", 10, re.compile(
        r"^\W*(?:advertisement|advertising|ad|sponsored(?: content)?|promoted(?: content)?|partner content|"
        r"paid (?:post|content)|scroll to continue(?: with content)?|(?:story|article) continues below(?: advertisement)?|"
        r"continue reading(?: below| the main story)?|ad feedback|listen(?: to (?:this|the) (?:article|story))?|"
        r"play (?:video|audio)|watch(?: the)? video|\d+ min(?:ute)?s? (?:read|listen))\b", _I)),
    ("related", 25, re.compile(
        r"^\W*(?:most (?:popular|read|viewed|shared|commented)|popular(?: now| stories| today)?|trending(?: now| stories| topics)?|"
        r"related(?: stories| articles| news| content| coverage| topics| links| reading| videos?)?|read (?:more|next|also)|"
        r"see also|also read|more (?:from|on|about|stories|news|in|top stories)|latest(?: news| stories| updates| videos?)?|"
        r"recommended(?: for you| stories| reading)?|you (?:may|might) (?:also )?(?:like|be interested|have missed)|"
        r"editor'?s'? picks?|top stories|don'?t miss|watch(?: now| more| live)?|in case you missed it|"
        r"what to read next|further reading|other news|explore more|keep reading|more coverage|"
        r"from (?:the|our) (?:archive|partners)|sponsored stories|around the web|more videos?|in pictures|"
        r"tags?|topics?|filed under|categories|category|keywords?)\b\W*(?::.*)?$", _I)),
    ("comments", 10, re.compile(
        r"^\W*comments?\b|\bno comments?\b|\bleave a (?:comment|reply)\b|\bjoin the (?:conversation|discussion)\b"
        r"|^\d+ comments?\b|\bshow comments\b|\bcomments? (?:are|have been) (?:closed|disabled)\b|\bpost a comment\b", _I)),
    ("subscription", 40, re.compile(
        r"\bsubscribe (?:to|now|today|for)\b|^subscribe\b|\bnewsletters?\b|\bdownload (?:the|our) app\b|\bget (?:the|our) app\b"
        r"|\bfree trial\b|\balready (?:a subscriber|have an account)\b|\bsubscribers? only\b"
        r"|\bunlimited access\b|\bsupport (?:our|independent|quality) journalism\b|\bbecome a (?:member|subscriber|supporter)\b"
        r"|\bturn on (?:push )?notifications\b|\bdelivered (?:straight )?to your inbox\b|\bunsubscribe\b"
        r"|\bdownload (?:the |our )?(?:[A-Z][\w-]* ){0,3}app\b|\bget (?:breaking )?news alerts\b"
        r"|^follow (?:us|the [A-Z][\w ]{0,30}|[A-Z][\w ]{0,30}) on (?:telegram|whatsapp|x|twitter|facebook|instagram|youtube|tiktok|linkedin|threads|bluesky)\b"
        r"|^good (?:morning|afternoon|evening)\b|\bhere(?:'s| is) what you need to know\b"
        r"|\bview (?:this email|it|this newsletter) in (?:your|a) browser\b|\byou(?:'re| are) receiving this\b"
        r"|\bmanage (?:your )?(?:email )?(?:preferences|subscriptions?)\b|\bforwarded this (?:email|newsletter)\b", _I)),
    ("promo", 12, re.compile(
        r"\bsign up\b|\bregister (?:now|for free|to)\b|\bfollow us\b|\bjoin (?:us|our \w+) on\b"
        r"|\bsign in\b|\blog ?in\b|\bcreate (?:an|your) account\b|\bclick here\b|\btap here\b", _I)),
    ("caption", 80, re.compile(
        r"\((?:from |\d(?:st|nd|rd|th) (?:from )?)?(?:l|r|c|l-r|r-l|l to r|left|right|cent(?:er|re)|front|back|top|bottom)\)"
        r"|^(?:file )?(?:photo(?:graph)?|image|picture|illustration|graphic|video)(?: by)?\s*(?:[:|/]|\s-\s)"
        r"|[.!?]\s+(?:photo(?:graph)?|image|picture|credit|source)s?\s*:\s*[A-Z][^.]{0,80}$"
        r"|^file photo\b|\bpose[sd]? for (?:a )?(?:family |group )?(?:photo|picture|photograph)"
        r"|\b(?:is|are) (?:pictured|seen (?:here|in this))\b|\bpurchase licensing rights\b"
        r"|\bimage (?:source|caption)\b|\bphoto(?:graph)?:? (?:by|courtesy|credit)\b"
        rf"|(?:/|\bvia\b|\bphoto(?:graph)?:?|\bimage:?|\bcredit:?|\bcourtesy(?: of)?|©)\s*[^.]{{0,60}}\b(?:{_AGENCIES})\W*$"
        r"|\b(?:REUTERS|AFP|AP|EPA)/[A-Z]", _I)),
    # A present-tense scene description ending in a full date is how agencies caption photos.
    ("caption~scene", 80, re.compile(
        r"\b(?:speaks|attends|arrives|arrive|gestures|gesture|looks on|look on|walks|walk|shakes hands|shake hands|"
        r"poses|pose|holds|hold|stands|stand|listens|listen|waves|wave|sits|sit|greets|greet|delivers|"
        r"is seen|are seen|take part|takes part|react|reacts|attend)\b[^.]{0,200}"
        r"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}|"
        r"\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{4})\.?\s*$", _I)),
    ("bio", 60, re.compile(
        r"^(?:[A-Z][\w'’.-]+\s){1,3}(?:is|was|has been) (?:the |a |an |our )?[^.]{0,80}\b(?:correspondent|reporter|editor|"
        r"writer|journalist|columnist|contributor|bureau chief|producer)\b|^(?:[A-Z][\w'’.-]+\s){1,3}covers\b"
        r"|\b(?:reach|contact|email|e-mail) (?:him|her|them|the author|the writer) at\b")),
    ("link", 40, re.compile(r"^\W*(?:\d+\.\s*)?(?:https?://|www\.)\S+\W*$|^\[\d+\]\s*\S+(?:\s\S+){0,3}$", _I)),
    ("byline", 12, re.compile(
        r"^(?i:by|written by|words by|story by|reported by)\s+[A-Z]|^(?i:author|reporter|correspondent|editor)s?\s*:"
        r"|\bstaff (?:writer|reporter)\b|\b(?:correspondent|reporter|editor)$", 0)),
    ("credits", 45, re.compile(
        r"\b(?:reporting|writing|editing|edited|compiled|produced|translated|research|graphics|additional reporting)"
        r"\s+by\b|\bcontributed (?:to this|reporting)\b", _I)),
    ("timestamp", 14, re.compile(
        r"^(?:published|updated|posted|last updated|first published|modified|dated?)\b"
        r"|\b\d+\s*(?:min(?:ute)?s?)\s+read\b|\b\d+ (?:hours?|minutes?|mins?|days?|weeks?) ago\b"
        r"|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?|gmt|utc|cet|cest|eet|eest|msk|et|edt|est|bst)?\b", _I)),
)
_NAV_WORDS = frozenset(
    """home menu search skip to main content navigation nav sections section topics world europe
    politics business sport sports opinion culture video videos audio podcast podcasts live latest
    more close open back top next previous prev edition editions language languages choose select
    your english français español deutsch русский українська 中文 العربية weather markets tech
    science health lifestyle travel contact about us careers advertise help faq privacy terms
    cookies accessibility sitemap archive rss apps app download e-paper epaper go ok settings share
    tweet email e-mail print copy link save bookmark facebook twitter x linkedin whatsapp telegram
    reddit pinterest flipboard messenger vk weibo wechat threads bluesky instagram youtube tiktok
    gift article listen comments comment follow subscribe login log in sign register account news
    newsletter newsletters the and of a all view see page pages front photos gallery galleries
    multimedia graphics interactive specials special reports analysis features economy war ukraine
    russia us uk africa asia americas middle east pacific australia china india toggle skip
    jump main more mobile desktop version dark mode light mode""".split()
)
_MENU_SPLIT = re.compile(r"\s[|•·»›>/]\s|\s{3,}|\s[|•·»›]|[|•·»›]\s")
_FUNCTION_WORDS = frozenset(
    "the a an of to in on at for with and or but from by as is are was were be has have had will "
    "would could should may might says said after before over into about than that this its his her".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f\u1e00-\u1eff]")
_TERMINAL = frozenset(".!?…")
_CLOSERS = "\"'”’»)]*"

# Necessary words (lower case) per family: a unit longer than _ALWAYS_CHECK characters is
# matched against a family's regex only if it contains one of them (a set lookup). Python's `re`
# tries every alternative at every position, which made the regexes alone cost ~1 ms per paragraph.
_TRIGGERS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    "consent": "cookie cookies continuing using privacy consent personal accept reject allow decline",
    "error-page": "page javascript browser robot human try refresh sorry oops whoops error access "
                  "forbidden found 400 401 403 404 410 429 500 502 503 504",
    "byline": "by written words story reported author authors reporter reporters correspondent editor "
              "editors staff",
    "timestamp": "published updated posted last first modified date dated min mins minute minutes read "
                 "ago hour hours day days week weeks :",
    "legal": "disclaimer reserved warranty warranties copyright may reproduction redistribution "
             "republication republishing terms privacy licence license icp unauthorised unauthorized "
             "expressed reflect responsibility liability purposes advice provided supplied standards "
             "principles more © c 许可证 备案",
    "contact": "hotline hot helpline help tipline tip call contact email e write customer tel phone "
               "fax mob @",
    "comments": "comment comments conversation discussion",
    "subscription": "subscribe subscriber subscribers subscription subscriptions subscribed newsletter "
                    "newsletters download get free already unlimited journalism become notifications "
                    "inbox unsubscribe view receiving manage forwarded alerts follow good need",
    "promo": "sign register follow join log login create click tap",
    "caption": "photo photograph photographs image picture illustration graphic video file pose poses "
               "posed pictured seen licensing source credit via courtesy ( / © reuters afp ap epa",
    "caption~scene": "speaks attends attend arrives arrive gestures gesture looks look walks walk shakes "
                     "shake poses pose holds hold stands stand listens listen waves wave sits sit greets "
                     "greet delivers seen take takes react reacts",
    "bio": "correspondent reporter editor writer journalist columnist contributor chief producer covers "
           "reach contact email e",
    "credits": "reporting writing editing edited compiled produced translated research graphics "
               "additional contributed",
}.items()}
_TOKENS = re.compile(r"\w+|[^\w\s]")
_ALWAYS_CHECK = 0  # every unit is gated: even 100-char lines cost ~10 µs per family
_YEAR_TAIL = re.compile(r"\d{4}\W*$")

# Families whose words also occur in ordinary sentences: they only apply to non-sentence lines.
_NOT_IN_SENTENCES = frozenset(
    {"timestamp", "byline", "contact", "advertisement", "comments", "related", "promo"}
)

# Reasons that end an article when they follow its prose: nothing after them is the same story.
HARD_REASONS = frozenset({"related", "legal", "comments", "link-list", "subscription", "teaser"})


def is_terminal(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


# Long units (most of an article's bytes) are judged by literal phrases only: `in` on the lower-
# cased text costs nanoseconds, a regex family over a 1 KB paragraph costs ~100 µs. The long
# forms of boilerplate (banners, disclaimers, captions, promos) use fixed phrasing anyway.
LONG_UNIT_WORDS = 25
_LONG_PHRASES: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("consent", 90, ("cookie", "by continuing to", "we value your privacy", "manage your preferences",
                     "manage preferences", "consent preferences", "your consent")),
    ("error-page", 40, ("page you were looking for", "page you requested", "page not found",
                        "enable javascript", "are you a robot", "verify you are human",
                        "checking your browser")),
    ("legal", 140, ("disclaimer", "all rights reserved", "without warranty", "without any warranty",
                    "may not be reproduced", "may not be republished", "may not be redistributed",
                    "may not be published", "terms of use", "terms of service", "terms and conditions",
                    "privacy policy", "licence no", "license no", "license number", "licence number",
                    "许可证", "views expressed", "necessarily reflect", "no responsibility",
                    "no liability", "information purposes only", "informational purposes only",
                    "not constitute", "trust principles", "©", "(c) 20", "copyright 20")),
    ("subscription", 60, ("subscribe", "newsletter", "unlimited access", "independent journalism",
                          "support our journalism", "become a supporter", "become a member",
                          "delivered to your inbox", "unsubscribe", "receiving this email",
                          "download the app", "download our app")),
    ("caption", 80, ("(l)", "(r)", "(l-r)", "(r-l)", "(from l", "(from left", "(c)", "pose for a",
                     "poses for a", "posed for a", "pictured", "purchase licensing rights", "photo:",
                     "photograph:", "image:", "(photo", "getty images", "file photo", "reuters/")),
    ("bio", 60, ("reach him at", "reach her at", "reach them at", "contact him at", "contact her at")),
    ("credits", 60, ("reporting by", "editing by", "writing by", "compiled by", "additional reporting",
                     "contributed reporting", "contributed to this report")),
)
_TAIL_FAMILIES = frozenset({"caption", "caption~scene", "bio"})


def _long_unit_reason(text: str, n_words: int, sentence: bool) -> str | None:
    lower = text.lower()
    for reason, max_words, phrases in _LONG_PHRASES:
        if n_words <= max_words and any(p in lower for p in phrases):
            return reason
    # Caption credit tails and scene captions are recognised on the last sentence only; the bio
    # pattern is anchored at the start, so its head is enough.
    cut = max(text.rfind(". ", 0, len(text) - 2), text.rfind("? ", 0, len(text) - 2))
    tail = text[cut + 2 :] if cut >= 0 else text
    tail = tail[-300:]
    tail_lower = tail.lower()
    for reason, max_words, pattern in FAMILIES:
        if reason not in _TAIL_FAMILIES or n_words > max_words:
            continue
        if reason == "caption" and not any(k in tail_lower for k in _CREDIT_HINTS):
            continue
        if reason == "caption~scene" and not _YEAR_TAIL.search(text[-12:]):
            continue
        if reason == "bio" and not any(k in text[:80] for k in (" is ", " was ", " covers ", " has been ")):
            continue
        if pattern.search(text[:160] if reason == "bio" else tail):
            return reason.split("~")[0]
    return None


_CREDIT_HINTS = ("/", "via ", "photo", "image", "credit", "courtesy", "©", "picture", "file")


def unit_reason(text: str, n_words: int) -> str | None:
    """Why a single line/block is boilerplate on its own, or None."""
    if not _LETTER.search(text):
        return "no-words"
    sentence = n_words >= 7 and is_terminal(text)
    if n_words > LONG_UNIT_WORDS:
        return _long_unit_reason(text, n_words, sentence) or _foreign(text)
    tokens = frozenset(_TOKENS.findall(text.lower())) if len(text) > _ALWAYS_CHECK else None
    for reason, max_words, pattern in FAMILIES:
        if n_words > max_words or (sentence and reason in _NOT_IN_SENTENCES):
            continue
        if tokens is not None:
            triggers = _TRIGGERS.get(reason)
            if triggers is not None and triggers.isdisjoint(tokens):
                continue
        if reason == "caption~scene" and not _YEAR_TAIL.search(text[-12:]):
            continue
        if pattern.search(text):
            return reason.split("~")[0]
    if n_words <= 12:
        letters = _WORD.findall(text)
        lower = [w.lower() for w in letters]
        if all(w in _NAV_WORDS for w in lower):
            return "navigation"
        if len(_MENU_SPLIT.split(text)) >= 3 and not is_terminal(text):
            return "menu"
        if (
            n_words >= 5
            and not is_terminal(text)
            and all(w[0].isupper() for w in letters)
            and not any(w in _FUNCTION_WORDS for w in lower)
        ):
            return "menu"
    return _foreign(text)


def _foreign(text: str) -> str | None:
    if not text.isascii() and _NON_LATIN_LETTER.search(text):
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


_PUNCT_TO_SPACE = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»—–…·•"})


def dedup_key(text: str) -> str:
    """Lower case, punctuation-blind, whitespace-normalised: "same line" for repetition."""
    return " ".join(text.lower().translate(_PUNCT_TO_SPACE).split())


class Unit:
    """One line (or one block of hard-wrapped lines) of the decoded page and what we decided."""

    __slots__ = ("text", "start", "end", "n_words", "key", "drop", "prose")

    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.start = start
        self.end = end
        self.n_words = len(text.split())
        self.key = ""
        self.drop: str | None = None
        self.prose = False

    def __repr__(self) -> str:  # for debugging and test failure messages
        return f"Unit({self.text[:50]!r}, drop={self.drop}, prose={self.prose})"


def classify(units: list[Unit]) -> None:
    """Per-unit families, then repetition, then list shapes (marks `drop` and `prose` in place)."""
    for u in units:
        if u.drop is None:
            u.drop = unit_reason(u.text, u.n_words)
        u.key = dedup_key(u.text)
        u.prose = u.drop is None and is_prose(u.text, u.n_words)
    mark_repeats(units)
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
    for i, u in enumerate(units):
        if not u.key:
            continue
        if counts[u.key] > 1 and not u.prose:
            u.drop = u.drop or "repeated"
        elif u.key in seen:
            u.drop = u.drop or "duplicate"
        seen.setdefault(u.key, i)
    # Prefix containment in O(n log n): a key that prefixes another sorts right before it.
    ordered = sorted((u for u in units if u.prose and u.drop is None), key=lambda u: u.key)
    for a, b in zip(ordered, ordered[1:]):
        if a.n_words >= 8 and b.key.startswith(a.key + " "):
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
    return 0 < i < len(units) - 1 and units[i - 1].prose and units[i + 1].prose


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
        if j - i >= 4:
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
    last = -10**9
    hard_since_last = False
    for i, u in enumerate(units):
        if u.prose and u.drop is None:
            if clusters and i - last - 1 < gap and not hard_since_last:
                clusters[-1].append(i)
            else:
                clusters.append([i])
            last = i
            hard_since_last = False
        elif u.drop in HARD_REASONS and not _sandwiched(units, i):
            hard_since_last = True
    if not clusters:
        for u in units:
            u.drop = u.drop or "outside-main"
        return None
    weight = [sum(len(units[i].text) for i in c) for c in clusters]
    main = max(weight)
    kept = [c for c, w in zip(clusters, weight) if w >= keep_ratio * main]
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
