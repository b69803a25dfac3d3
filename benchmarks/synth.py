"""Realistic synthetic corpora for benchmarks: news-like prose with gold spans of every layer.

Prose mixes a word-bigram model trained on the repository's own cleaned articles with a Zipf
sample of the English vocabulary (wordfreq), so that texts have a realistic vocabulary and
length distribution rather than a handful of repeated words. Names come from Faker (seeded).
Every generated span satisfies text[start:end] == span.text by construction.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from pathlib import Path

from faker import Faker
from wordfreq import top_n_list

from peacetalks.model import (
    AnnotatorPass,
    Document,
    DocumentAnnotations,
    Entity,
    Event,
    EventArgument,
    Layers,
    Quote,
    Span,
    sha256_text,
)
from peacetalks.store import load_documents
from peacetalks.taxonomy import Taxonomy

CUES = ["said", "added", "told reporters", "warned", "insisted", "stressed", "noted"]
TRIGGERS = {
    "CONSULT": ["talks", "met", "negotiations", "a meeting", "a phone call"],
    "DEMAND": ["demanded", "called for"],
    "REJECT": ["rejected", "ruled out"],
    "THREATEN": ["threatened", "warned of"],
    "COERCE": ["sanctions", "imposed penalties"],
    "YIELD": ["a ceasefire", "agreed to withdraw"],
    "APPEAL": ["urged", "appealed to"],
    "DIPLOMATIC_COOPERATION": ["praised", "endorsed"],
    "MATERIAL_COOPERATION": ["signed a deal with", "sent aid to"],
    "FIGHT": ["attacked", "shelled"],
}
TITLES = ["Foreign Minister", "Secretary of State", "Prime Minister", "spokesman", "President"]
NORPS = ["Russian", "Ukrainian", "European", "American", "Turkish", "French", "German"]
BOILERPLATE = [
    "By continuing to browse our site you agree to our use of cookies and our Privacy Policy.",
    "Home | World | Politics | Business | Opinion | Sport | Video",
    "Share on Facebook Share on X Share by email",
    "Most popular stories",
    "Copyright 2025 All rights reserved. Terms of Use.",
    "Sign up for our newsletter",
    "Photo: Reuters",
]


@dataclass
class _Pools:
    persons: list[str]
    orgs: list[str]
    gpes: list[str]
    dates: list[str]
    vocab: list[str]
    bigrams: dict[str, list[str]]


def _pools(seed: int, repo_root: Path | None) -> _Pools:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    persons = sorted({fake.name() for _ in range(3000)})
    orgs = sorted({fake.company() for _ in range(800)} | {"NATO", "the Kremlin", "the United Nations"})
    gpes = sorted({fake.country() for _ in range(400)} | {fake.city() for _ in range(600)})
    dates = ["Monday", "Tuesday", "Thursday", "last week", "next month", "May 15", "2022", "on Friday"]
    vocab = [w for w in top_n_list("en", 20000) if w.isalpha() and len(w) > 1]
    bigrams: dict[str, list[str]] = {}
    if repo_root is not None:
        from peacetalks.paths import Repo

        for doc in load_documents(Repo(repo_root)):
            words = doc.text.split()
            for a, b in zip(words, words[1:]):
                bigrams.setdefault(a, []).append(b)
    return _Pools(persons, orgs, gpes, dates, vocab, bigrams)


class SyntheticCorpus:
    """Deterministic generator: the same seed gives the same documents and annotations."""

    def __init__(self, tax: Taxonomy, seed: int = 0, repo_root: Path | None = None):
        for label in ("PERSON", "ORG", "GPE", "NORP", "DATE", "TITLE"):
            assert label in tax.entity_labels, f"taxonomy lost {label}; update benchmarks/synth.py"
        self.tax = tax
        self.seed = seed
        self.pools = _pools(seed, repo_root)
        # Zipf weights over the vocabulary (rank r has weight 1/r), as in real text.
        self._cum_weights = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(self.pools.vocab))))
        self._starts = sorted(self.pools.bigrams)

    def _filler(self, rng: random.Random, n: int) -> str:
        p = self.pools
        if p.bigrams and rng.random() < 0.6:
            out = [rng.choice(self._starts)]
            for _ in range(n - 1):
                nxt = p.bigrams.get(out[-1])
                out.append(rng.choice(nxt) if nxt else rng.choice(p.vocab[:3000]))
            return " ".join(out).strip('"“”')
        return " ".join(rng.choices(p.vocab, cum_weights=self._cum_weights, k=n))

    def document(self, i: int) -> tuple[Document, DocumentAnnotations]:
        rng = random.Random(self.seed * 1_000_003 + i)
        p = self.pools
        parts: list[str] = []
        pos = 0
        ents: list[Entity] = []
        quotes: list[Quote] = []
        events: list[Event] = []

        def emit(s: str) -> tuple[int, int]:
            nonlocal pos
            start = pos
            parts.append(s)
            pos += len(s)
            return start, pos

        def entity(surface: str, label: str) -> Entity:
            start, end = emit(surface)
            e = Entity(f"e{len(ents)}", Span(start, end, surface), label)
            ents.append(e)
            return e

        for para in range(rng.randint(5, 8)):
            if para:
                emit("\n\n")
            for s in range(rng.randint(3, 5)):
                if s:
                    emit(" ")
                kind = rng.random()
                if kind < 0.08:  # a direct quote with speaker and cue
                    emit("\u201c")
                    said = self._filler(rng, rng.randint(8, 20)).capitalize()
                    q0, q1 = emit(said)
                    emit(",\u201d ")
                    speaker = entity(rng.choice(p.persons), "PERSON")
                    emit(" ")
                    cue = rng.choice(CUES)
                    c0, c1 = emit(cue)
                    emit(".")
                    quotes.append(Quote(
                        f"q{len(quotes)}", Span(q0, q1, said),
                        self.tax.quote_kind_names[0], speaker.id, Span(c0, c1, cue), f"c{len(quotes)}",
                    ))
                elif kind < 0.16:  # an event with agent, target and time
                    etype = rng.choice(list(TRIGGERS))
                    agent = entity(rng.choice(p.gpes), "GPE")
                    emit(" ")
                    trig = rng.choice(TRIGGERS[etype])
                    t0, t1 = emit(trig)
                    emit(" ")
                    target = entity(rng.choice(p.orgs), "ORG")
                    emit(" ")
                    when = entity(rng.choice(p.dates), "DATE")
                    emit(", " + self._filler(rng, rng.randint(6, 14)) + ".")
                    events.append(Event(
                        f"v{len(events)}", Span(t0, t1, trig), etype,
                        rng.choice(self.tax.realis_names),
                        (EventArgument("AGENT", agent.id), EventArgument("TARGET", target.id),
                         EventArgument("TIME", when.id)),
                    ))
                elif kind > 0.26:  # plain prose, no spans
                    emit(self._filler(rng, rng.randint(12, 30)).capitalize() + ".")
                else:  # background prose with a title, a nationality and a person
                    entity(rng.choice(NORPS), "NORP")
                    emit(" ")
                    entity(rng.choice(TITLES), "TITLE")
                    emit(" ")
                    entity(rng.choice(p.persons), "PERSON")
                    emit(" " + self._filler(rng, rng.randint(10, 25)) + ".")
        text = "".join(parts)
        doc_id = f"syn{self.seed:02d}{i:08d}"
        sha = sha256_text(text)
        doc = Document(
            doc_id=doc_id, title=f"{rng.choice(p.gpes)} and {rng.choice(p.gpes)} hold talks",
            text=text, text_sha256=sha, date=f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            dateline=None, publisher=None, url=None, language="en", raw_sha256=sha,
            raw_file=f"corpus/raw/{doc_id}.txt", media_type="text/plain", cleaner_version="synthetic",
        )
        layers = Layers(tuple(ents), tuple(quotes), tuple(events))
        ann = DocumentAnnotations(
            doc_id=doc_id, text_sha256=sha, ls_task_id=i + 1,
            passes=(AnnotatorPass("ann-synthetic", i + 1, "2025-06-01T00:00:00Z",
                                  "2025-06-01T00:00:00Z", 60.0, False, layers),),
            gold=layers, gold_source="single-pass:ann-synthetic",
            status={"entities": "done", "quotes": "done", "events": "done"},
        )
        return doc, ann

    def raw_page(self, i: int) -> str:
        """A whole-page text dump: navigation, consent banner, article, share buttons, footer."""
        rng = random.Random(self.seed * 7_919 + i)
        doc, _ = self.document(i)
        head = rng.sample(BOILERPLATE[:3], k=2)
        tail = rng.sample(BOILERPLATE[3:], k=3)
        return "\n".join([*head, doc.title, doc.title, "", doc.text, "", *tail]) + "\n"

    def html_page(self, i: int) -> str:
        doc, _ = self.document(i)
        paras = "".join(f"<p>{p}</p>\n" for p in doc.text.split("\n\n"))
        nav = "".join(f'<li><a href="/s{k}">{w}</a></li>' for k, w in enumerate(BOILERPLATE[1].split(" | ")))
        return (
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{doc.title}</title></head>"
            f"<body><header><nav><ul>{nav}</ul></nav><div class='consent'>{BOILERPLATE[0]}</div></header>"
            f"<main><article><h1>{doc.title}</h1><p class='byline'>By Staff</p>\n{paras}</article></main>"
            f"<aside><h2>{BOILERPLATE[3]}</h2><ul><li><a href='/a'>{doc.title}</a></li></ul></aside>"
            f"<footer>{BOILERPLATE[4]}</footer></body></html>"
        )
