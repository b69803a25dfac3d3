"""The data of boilerplate detection: pattern families, trigger words, phrases, word lists.

Kept apart from the logic in `boilerplate.py` so that the rules can be read (and extended) as
one list. Families are regular expressions gated by length; triggers are words one of which
must occur for a family to be tried (speed); long units are judged by literal phrases.
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
# Words that make "By <capitalised word>" a time, not a byline ("By Friday, the deal was dead.").
_WHEN = ("(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June"
         "|July|August|September|October|November|December|Mid|Early|Late|Then|Now|Noon|Midnight|Nightfall|Dawn)")
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
        # "Copyright 2025 ..." / "Copyright Acme News": a year or a capitalised name follows
        # (case-sensitive there: "Copyright disputes over the draft ..." is a sentence)
        r"|(?:©|\(c\)\s|\bcopyright\b\s*(?:©\s*)?(?=\d{4}|(?-i:[A-Z])))"
        r"|\bmay not be (?:re)?(?:published|produced|printed|distributed|broadcast|written)"
        r"|\b(?:reproduction|redistribution|republication|republishing)\b.{0,40}\b(?:prohibited|permission|without)"
        r"|\bterms (?:of|and) (?:use|service|conditions)\b|\bprivacy (?:policy|notice|statement)\b"
        r"|\blicen[cs]e (?:no\b|number|#)|\bicp\b|许可证|备案|\bunauthori[sz]ed (?:use|copying|reproduction)\b"
        r"|\bthe (?:views|opinions) expressed\b|\bdoes not (?:necessarily )?reflect\b.{0,40}\b(?:views|position)"
        r"|\b(?:accept|assume)s? no (?:responsibility|liability)\b|\bfor (?:general )?information(?:al)? purposes only\b"
        r"|\bnot (?:constitute|be construed as) (?:\w+ )?advice\b|\bcontent (?:is|was) (?:provided|supplied) by\b"
        r"|\bour standards\b|\btrust principles\b|\bthis article is more than \d+ \w+ old\b", _I)),
    # The notice under a press release that it is not a record ("For information media. Not an
    # official record."): anchored, so a sentence reporting that a transcript is "not an official
    # record" stays.
    ("legal~record", 20, re.compile(
        r"^\W*(?:for (?:the )?information (?:of (?:the )?)?media\W+)?not an? official (?:record|document)\b", _I)),
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
        r"tags?|topics?|filed under|categories|category|keywords?|references|footnotes|bibliography)\b\W*(?::.*)?$", _I)),
    # The same headers used as a label in front of a link ("RELATED: Who are the M23?"): the link's
    # own punctuation does not make the line a sentence, so this form applies to sentences too.
    ("related~label", 25, re.compile(
        r"^\W*(?:related(?: stories| articles| news| content| coverage| links| reading)?|read (?:more|next|also)"
        r"|see also|also read|further reading|more on this(?: story)?|recommended(?: reading)?)\s*:\s*\S", _I)),
    ("comments", 10, re.compile(
        r"^\W*comments?\b|\bno comments?\b|\bleave a (?:comment|reply)\b|\bjoin the (?:conversation|discussion)\b"
        r"|^\d+ comments?\b|\bshow comments\b|\bcomments? (?:are|have been) (?:closed|disabled)\b|\bpost a comment\b"
        # the action line under each reader comment ("Reply · Report · 14 likes"): it separates
        # the comments, which would otherwise form one cluster of prose as long as the article
        r"|^(?:(?:reply|report|like|upvote|downvote|flag|\d+\s*(?:likes?|replies|repl(?:y|ies)|votes?|points?|upvotes?))"
        r"(?:\s*[·•|,-]\s*|\s+|$)){2,}$", _I)),
    ("subscription", 40, re.compile(
        r"\bsubscribe (?:to|now|today|for)\b|^subscribe\b|\bnewsletters?\b|\bdownload (?:the|our) app\b|\bget (?:the|our) app\b"
        r"|\bfree trial\b|\balready (?:a subscriber|have an account)\b|\bsubscribers? only\b"
        r"|\bunlimited access\b|\bsupport (?:our|independent|quality) journalism\b|\bbecome a (?:member|subscriber|supporter)\b"
        r"|\bturn on (?:push )?notifications\b|\bdelivered (?:straight )?to your inbox\b|\bunsubscribe\b"
        r"|\bdownload (?:the |our )?(?:[A-Z][\w-]* ){0,3}app\b|\bget (?:breaking )?news alerts\b"
        r"|^follow (?:us|the [A-Z][\w ]{0,30}|[A-Z][\w ]{0,30}) on (?:telegram|whatsapp|x|twitter|facebook|instagram|youtube|tiktok|linkedin|threads|bluesky)\b"
        r"|^good (?:morning|afternoon|evening)\b|\bhere(?:'s| is) what you need to know\b"
        r"|\bview (?:this email|it|this newsletter) in (?:your|a) browser\b|\byou(?:'re| are) receiving this\b"
        r"|\bmanage (?:your )?(?:email )?(?:preferences|subscriptions?)\b|\bforwarded this (?:email|newsletter)\b"
        r"|^\W*(?:having )?(?:trouble|problems?) (?:viewing|reading|displaying) this (?:e-?mail|newsletter|message)\b", _I)),
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
        r"|^(?:[A-Z][\w'’.-]+\s){1,3}(?:reports|writes) (?:on|about)\b[^.]{0,120}\bfor [A-Z]"
        r"|^(?i:about the (?:author|writer|reporter)s?|author (?:bio|profile|information))\W*$"
        r"|\b(?:reach|contact|email|e-mail) (?:him|her|them|the author|the writer) at\b")),
    # a URL; a lynx link "[5]Russia-Ukraine"; an entry of a reader-mode copy's reference list,
    # "[1] Ministry of Foreign Affairs, statement of 13 March" (a space after the number)
    ("link", 40, re.compile(r"^\W*(?:\d+\.\s*)?(?:https?://|www\.)\S+\W*$|^\[\d+\]\s*\S+(?:\s\S+){0,3}$"
                            r"|^\[\d{1,3}\] \S", _I)),
    # "By Anna Keller": a name after "By"; "By Friday, the deal was dead." is a sentence
    ("byline", 12, re.compile(
        r"^(?i:by|written by|words by|story by|reported by|interview(?:ed)? by)\s+(?!" + _WHEN + r"\b)[A-Z]"
        r"|^(?i:author|reporter|correspondent|editor)s?\s*:"
        r"|\bstaff (?:writer|reporter)\b|\b(?:correspondent|reporter|editor)$", 0)),
    # "(Reporting by X; Editing by Y)": a credit opens the line, a parenthesis or a sentence,
    # and names someone; "figures compiled by the UN" in a sentence, or a sentence opening with
    # "Translated by officials into four languages, the draft ..." is not one
    ("credits", 45, re.compile(
        r"(?:^|[(;.|]\s*)\W*(?i:reporting|writing|editing|edited|compiled|produced|translated|research|graphics|"
        r"additional reporting)\s+(?i:by)\s+(?:the\s+)?[A-Z]|(?i:\bcontributed (?:to this|reporting)\b)")),
    # A printed page's number ("Page 2 of 4", "3/7") in a PDF-to-text copy, on a line of its own.
    ("page-number", 4, re.compile(r"^\W*(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\W*$"
                                  r"|^\W*\d{1,4}\s*(?:of|/)\s*\d{1,4}\W*$", _I)),
    # The headings that close a press release: what follows is about the sender, not the news.
    ("end-notes", 6, re.compile(
        r"^\W*(?:notes? (?:to|for) editors|editors'? notes|-*\s*ends\s*-*|(?:media|press) "
        r"(?:contacts?|enquiries|inquiries)|for (?:further|more) information(?: please contact)?)\W*$", _I)),
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
    "comments": "comment comments conversation discussion reply replies report like likes upvote upvotes "
                "downvote flag vote votes point points",
    "subscription": "subscribe subscriber subscribers subscription subscriptions subscribed newsletter "
                    "newsletters download get free already unlimited journalism become notifications "
                    "inbox unsubscribe view receiving manage forwarded alerts follow good need trouble "
                    "problem problems",
    "promo": "sign register follow join log login create click tap",
    "caption": "photo photograph photographs image picture illustration graphic video file pose poses "
               "posed pictured seen licensing source credit via courtesy ( / © reuters afp ap epa",
    "caption~scene": "speaks attends attend arrives arrive gestures gesture looks look walks walk shakes "
                     "shake poses pose holds hold stands stand listens listen waves wave sits sit greets "
                     "greet delivers seen take takes react reacts",
    "bio": "correspondent reporter editor writer journalist columnist contributor chief producer covers "
           "reach contact email e reports writes author authors reporters writers",
    "related~label": "related read see also further more recommended",
    "legal~record": "official",
    "credits": "reporting writing editing edited compiled produced translated research graphics "
               "additional contributed",
}.items()}
_TOKENS = re.compile(r"\w+|[^\w\s]")

# Literal gates (speed, exact): for each family, substrings one of which EVERY match of its regex
# contains, read off the regex's alternatives (lower case; a literal space stands for the regex's
# literal space). A unit that contains none of them cannot match, so the regex (and the
# tokenising for the trigger words above) is skipped. Case-insensitive families are gated on the
# lower-cased unit, which is exact unless the unit holds one of the four non-ASCII characters that
# `re.IGNORECASE` equates with an ASCII letter (`_FOLDS_TO_ASCII`): then the gate is not used.
# Families without a gate (anchored at the line start, or rare) are cheap already.
_GATES: dict[str, tuple[str, ...]] = {
    "consent": ("cookie", "by continuing", "by using", "your privacy", "manage ", "accept", "reject",
                "allow", "decline", "consent preferences", "personal data"),
    "error-page": ("4", "5", "page ", "sorry", "oops", "error", "access denied", "forbidden",
                   "not found", "javascript", "your browser", "robot", "human", "please "),
    "legal": ("disclaimer", "all rights reserved", "warrant", "©", "(c)", "copyright", "may not be",
              "reproduction", "redistribution", "republication", "republishing", "terms ", "privacy ",
              "licence ", "license ", "icp", "许可证", "备案", "unauthori", "expressed", "does not ",
              "no responsibility", "no liability", "purposes only", "advice", "content ",
              "our standards", "trust principles", "this article is more than"),
    "contact": ("line", "call us", "contact us", "email us", "write to us", "customer service", "tel",
                "phone", "fax", "mob", "mail", "@"),
    "comments": ("comment", "leave a ", "join the ", "repl", "report", "like", "vote", "flag", "point"),
    "subscription": ("subscribe", "newsletter", "download ", "get ", "free trial", "already ",
                     "unlimited access", "journalism", "become a ", "notifications", "inbox", "alerts",
                     "follow ", "good ", "need to know", "browser", "receiving this", "manage ",
                     "forwarded this", "trouble ", "problem"),
    "promo": ("sign ", "register ", "follow us", "join ", "log", "account", "click here", "tap here"),
    "caption": ("(", "photo", "image", "picture", "illustration", "graphic", "video", ":", "pose",
                "pictured", "seen ", "purchase licensing rights", "/", "via", "credit", "courtesy", "©"),
    "bio": ("correspondent", "reporter", "editor", "writer", "journalist", "columnist", "contributor",
            "bureau chief", "producer", "covers", "him at", "her at", "them at", "author",
            "reports on", "writes on", "reports about", "writes about"),
    "legal~record": ("official ",),
    "related~label": ("related", "read ", "see also", "also read", "further reading", "more on this",
                      "recommended"),
    "byline": ("by", ":", "staff ", "correspondent", "reporter", "editor"),
    "credits": ("by", "contributed"),
    "timestamp": ("published", "updated", "posted", "modified", "date", "read", "ago", ":"),
    "page-number": ("page", "p.", "of", "/"),
    "end-notes": ("editor", "ends", "contact", "enquiries", "inquiries", "information"),
}
# The characters other than A-Z that `re.IGNORECASE` matches against ASCII letters (found by
# testing every code point: İ ı ſ and the Kelvin sign).
_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"


def has_ascii_folds(text: str) -> bool:
    """Does `text` hold one of _FOLDS_TO_ASCII? (Four `in` tests: ~20x faster than a regex
    character class on non-ASCII text.)"""
    return not text.isascii() and any(c in text for c in _FOLDS_TO_ASCII)
_ALWAYS_CHECK = 0  # every unit is gated: even 100-char lines cost ~10 µs per family
_YEAR_TAIL = re.compile(r"\d{4}\W*$")

# Families whose words also occur in ordinary sentences: they only apply to non-sentence lines.
_NOT_IN_SENTENCES = frozenset(
    {"timestamp", "byline", "contact", "advertisement", "comments", "related", "promo"}
)

# Reasons that end an article when they follow its prose: nothing after them is the same story.
HARD_REASONS = frozenset({"related", "legal", "comments", "link-list", "subscription", "teaser",
                          "contact-block", "end-notes"})
# ... of which these also occur inside an article body (a list of links, a sign-up box): a short
# lead cut off from the body by one of them stays with the body (see boilerplate.select_main).
INLINE_BOXES = frozenset({"related", "link-list", "subscription"})
# Paragraphs of prose before a comments header for it to end the article (a comment count near
# the byline comes before the article's paragraphs).
ARTICLE_BEFORE_THREAD = 3


# Long units (most of an article's bytes) are judged by literal phrases only: `in` on the lower-
# cased text costs nanoseconds, a regex family over a 1 KB paragraph costs ~100 µs. The long
# forms of boilerplate (banners, disclaimers, captions, promos) use fixed phrasing anyway.
LONG_UNIT_WORDS = 25
# Where a credit phrase of a long unit may start: the unit's start (the phrases are looked for in
# "\n" + the lower-cased text), a parenthesis or a new clause (see the "credits" family).
_CREDIT_OPENERS = ("\n", "(", "( ", "; ", ";", ". ", "| ")
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
    ("credits", 60, tuple(f"{opener}{credit}" for opener in _CREDIT_OPENERS for credit in (
        "reporting by", "editing by", "writing by", "compiled by", "additional reporting"))
     + ("contributed reporting", "contributed to this report")),
)
_TAIL_FAMILIES = frozenset({"caption", "caption~scene", "bio"})


# A long unit is tried against the bio family only if its head holds one of these.
_BIO_HEAD = (" is ", " was ", " covers ", " has been ", " reports on ", " writes on ", " reports about ",
             " writes about ")
_CREDIT_HINTS = ("/", "via ", "photo", "image", "credit", "courtesy", "©", "picture", "file")
