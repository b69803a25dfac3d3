"""Temporary repositories for the release tests: real schema, card and validation project, and
documents + annotations written through model.py (labels taken from the taxonomy, by position)."""

from __future__ import annotations

import shutil
from pathlib import Path

from peacetalks.fsio import write_json
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
from peacetalks.paths import Repo
from peacetalks.store import save_document
from peacetalks.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]

SPEAKERS = ["Marco Rubio", "Mark Rutte", "Hakan Fidan", "Dmitry Peskov", "Kaja Kallas"]
PLACES = ["Istanbul", "Antalya", "Paris", "Riyadh", "Geneva"]
DAYS = ["Thursday", "Friday", "Monday", "Tuesday", "Sunday"]
FIXTURE_ANNOTATORS = [f"ann-{k:06x}" for k in range(4)]  # the pseudonyms add_document uses


def make_repo(tmp_path: Path, *, name: str = "repo", validation: bool = True) -> Repo:
    root = tmp_path / name
    (root / "schema").mkdir(parents=True)
    shutil.copy(ROOT / "schema" / "taxonomy.yaml", root / "schema" / "taxonomy.yaml")
    shutil.copy(ROOT / "dataset_card.md", root / "dataset_card.md")
    if validation and (ROOT / "validation").is_dir():
        shutil.copytree(ROOT / "validation", root / "validation",
                        ignore=shutil.ignore_patterns("uncommitted"))
    (root / "corpus" / "clean").mkdir(parents=True)
    (root / "annotations").mkdir()
    (root / "annotations" / "annotators.yaml").write_text(
        "".join(f"{a}:\n  kind: human\n  description: Fixture annotator {a}.\n"
                for a in FIXTURE_ANNOTATORS), encoding="utf-8")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "fixture"\n\n[tool.peacetalks]\n# the dataset version\n'
        'dataset-version = "0.0.0"\n', encoding="utf-8")
    return Repo(root)


def doc_text(i: int) -> str:
    speaker, place, day = SPEAKERS[i % 5], PLACES[i % 5], DAYS[i % 5]
    return (
        f"{speaker} said on {day} that talks in {place} were the best chance in years. "
        f"\"We remain committed to peace,\" {speaker.split()[-1]} said after meeting number {i}.\n"
        f"Mr. Smith of the U.S. delegation didn't comment."
    )


def add_document(repo: Repo, i: int, *, text: str | None = None, annotate: bool = True,
                 passes: int = 1, publisher: str | None = "Example Wire") -> Document:
    tax = load_taxonomy(repo.taxonomy_file)
    text = text or doc_text(i)
    doc = Document(
        doc_id=f"doc-{i:04d}", title=f"Talks update {i}", text=text, text_sha256=sha256_text(text),
        date="2025-05-15", dateline=None, publisher=publisher, url=None, language="en",
        raw_sha256=sha256_text(f"raw {i}"), raw_file=f"corpus/raw/{i:04d}.txt",
        media_type="text/plain", cleaner_version="test-1",
    )
    save_document(repo, doc)
    if not annotate:
        return doc
    write_json(repo.annotation_file(doc.doc_id), annotations_for(doc, tax, passes).to_dict())
    return doc


def _span(text: str, needle: str, start: int = 0) -> Span:
    s = text.index(needle, start)
    return Span(s, s + len(needle), needle)


def gold_layers(doc: Document, tax) -> Layers:
    text = doc.text
    person, gpe, date = tax.entity_labels[0], tax.entity_labels[2], "DATE" if "DATE" in tax.entity_labels else tax.entity_labels[5]
    speaker = text.split(" said")[0]
    surname = speaker.split()[-1]
    day = text.split(" on ")[1].split()[0]
    place = text.split(" talks in ")[1].split()[0]
    ents = (
        Entity("e1", _span(text, speaker), person),
        Entity("e2", _span(text, day), date),
        Entity("e3", _span(text, place), gpe),
        Entity("e4", _span(text, surname, text.index('"')), person),
    )
    q = _span(text, "We remain committed to peace,")
    cue = _span(text, "said", text.index('"', q.end))
    quote = Quote("q1", q, tax.quote_kind_names[0], "e4", cue, "c1")
    consult = "CONSULT" if "CONSULT" in tax.event_type_names else tax.event_type_names[0]
    roles = tax.role_names
    event = Event("v1", _span(text, "talks"), consult, tax.realis_names[0],
                  (EventArgument(roles[2], "e3"), EventArgument(roles[3], "e2")))
    return Layers(ents, (quote,), (event,))


def annotations_for(doc: Document, tax, passes: int = 1) -> DocumentAnnotations:
    gold = gold_layers(doc, tax)
    ps = tuple(
        AnnotatorPass(f"ann-{k:06x}", 1000 + k, "2025-06-01T10:00:00Z", "2025-06-01T10:05:00Z",
                      300.0, False, gold)
        for k in range(passes)
    )
    return DocumentAnnotations(
        doc_id=doc.doc_id, text_sha256=doc.text_sha256, ls_task_id=int(doc.doc_id[-4:]) + 1,
        passes=ps, gold=gold, gold_source=f"single-pass:{ps[0].annotator}" if ps else None,
        status={"entities": "done", "quotes": "done", "events": "done"},
    )


def pending_annotations(doc: Document) -> DocumentAnnotations:
    return DocumentAnnotations(
        doc_id=doc.doc_id, text_sha256=doc.text_sha256, ls_task_id=None,
        status={"entities": "pending", "quotes": "pending", "events": "pending"},
    )


def make_corpus(tmp_path: Path, n: int = 12, **kw) -> Repo:
    repo = make_repo(tmp_path, **kw)
    for i in range(n):
        add_document(repo, i)
    return repo
