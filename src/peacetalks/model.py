"""Core types passed between stages.

One small set of frozen dataclasses (datatrove style): a stage takes and returns these, and
only `to_dict`/`from_dict` know the JSON shape of the files in corpus/clean/ and annotations/.
Offsets are Python ``str`` indices (Unicode code points) into ``Document.text``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

Severity = Literal["error", "warning"]


def sha256_text(text: str) -> str:
    """The anchor of every annotation: sha256 of the UTF-8 encoded cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ProvenanceRange:
    """One kept paragraph: where it came from in the decoded raw text and where it is now."""

    raw_start: int
    raw_end: int
    text_start: int
    text_end: int


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    text: str
    text_sha256: str
    date: str | None  # ISO 8601 date (YYYY-MM-DD) or None when the source does not state it
    dateline: str | None
    publisher: str | None  # only when the text states it; never guessed
    url: str | None
    language: str
    raw_sha256: str
    raw_file: str  # path of the raw file relative to the repository root
    media_type: str  # "text/plain" or "text/html"
    cleaner_version: str
    provenance: tuple[ProvenanceRange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["provenance"] = [asdict(p) for p in self.provenance]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        d = dict(d)
        d["provenance"] = tuple(ProvenanceRange(**p) for p in d.get("provenance", ()))
        return cls(**d)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Span:
        return cls(start=d["start"], end=d["end"], text=d["text"])


@dataclass(frozen=True)
class Entity:
    id: str  # the Label Studio region id (stable across pulls)
    span: Span
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, **self.span.to_dict(), "label": self.label}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        return cls(id=d["id"], span=Span.from_dict(d), label=d["label"])


@dataclass(frozen=True)
class Quote:
    id: str
    span: Span
    kind: str  # DIRECT | INDIRECT | MIXED (from schema/)
    speaker: str | None  # Entity id
    cue: Span | None
    cue_id: str | None = None  # region id of the cue span

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.span.to_dict(),
            "kind": self.kind,
            "speaker": self.speaker,
            "cue": None if self.cue is None else {"id": self.cue_id, **self.cue.to_dict()},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quote:
        cue = d.get("cue")
        return cls(
            id=d["id"],
            span=Span.from_dict(d),
            kind=d["kind"],
            speaker=d.get("speaker"),
            cue=None if cue is None else Span.from_dict(cue),
            cue_id=None if cue is None else cue.get("id"),
        )


@dataclass(frozen=True)
class EventArgument:
    role: str  # AGENT | TARGET | PLACE | TIME (from schema/)
    entity: str  # Entity id

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "entity": self.entity}


@dataclass(frozen=True)
class Event:
    id: str
    span: Span  # the trigger
    type: str
    realis: str
    arguments: tuple[EventArgument, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.span.to_dict(),
            "type": self.type,
            "realis": self.realis,
            "arguments": [a.to_dict() for a in self.arguments],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            id=d["id"],
            span=Span.from_dict(d),
            type=d["type"],
            realis=d["realis"],
            arguments=tuple(EventArgument(**a) for a in d.get("arguments", ())),
        )


@dataclass(frozen=True)
class Layers:
    """The three annotation layers of one pass (or of the gold standard)."""

    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        key = lambda x: (x.span.start, x.span.end, x.id)  # noqa: E731 - stable file order
        return {
            "entities": [e.to_dict() for e in sorted(self.entities, key=key)],
            "quotes": [q.to_dict() for q in sorted(self.quotes, key=key)],
            "events": [e.to_dict() for e in sorted(self.events, key=key)],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Layers:
        return cls(
            entities=tuple(Entity.from_dict(e) for e in d.get("entities", ())),
            quotes=tuple(Quote.from_dict(q) for q in d.get("quotes", ())),
            events=tuple(Event.from_dict(e) for e in d.get("events", ())),
        )


@dataclass(frozen=True)
class AnnotatorPass:
    """One annotator's submitted pass over one document, as pulled from Label Studio."""

    annotator: str  # stable pseudonym such as "ann-7f3a2c"; never an email or a name
    ls_annotation_id: int
    created_at: str
    updated_at: str
    lead_time: float | None
    ground_truth: bool
    layers: Layers
    # The model_version of the Label Studio prediction this pass started from (the annotator
    # accepted and edited pre-annotations), None for a pass made from scratch. Kept out of
    # the file when None, so files of passes made from scratch stay as they were.
    from_prediction: str | None = None

    def to_dict(self) -> dict[str, Any]:
        head = {
            "annotator": self.annotator,
            "ls_annotation_id": self.ls_annotation_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "lead_time": self.lead_time,
            "ground_truth": self.ground_truth,
        }
        if self.from_prediction is not None:
            head["from_prediction"] = self.from_prediction
        return {**head, **self.layers.to_dict()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AnnotatorPass:
        return cls(
            annotator=d["annotator"],
            ls_annotation_id=d["ls_annotation_id"],
            created_at=d["created_at"],
            updated_at=d["updated_at"],
            lead_time=d.get("lead_time"),
            ground_truth=d.get("ground_truth", False),
            layers=Layers.from_dict(d),
            from_prediction=d.get("from_prediction"),
        )


@dataclass(frozen=True)
class OffsetRepair:
    """A span moved because of a known Label Studio offset bug; kept so it can be audited."""

    annotation_id: int
    region_id: str
    reason: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int


@dataclass(frozen=True)
class DocumentAnnotations:
    """The content of annotations/<doc_id>.json."""

    doc_id: str
    text_sha256: str
    ls_task_id: int | None
    passes: tuple[AnnotatorPass, ...] = ()
    skipped: int = 0  # skipped/cancelled passes: counted, not stored as content
    gold: Layers | None = None
    gold_source: str | None = None  # e.g. "single-pass:ann-7f3a2c", "ground-truth:ann-..."
    status: dict[str, str] = field(default_factory=dict)  # layer -> "done" | "pending"
    repairs: tuple[OffsetRepair, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "text_sha256": self.text_sha256,
            "ls_task_id": self.ls_task_id,
            "status": dict(sorted(self.status.items())),
            "skipped": self.skipped,
            "gold_source": self.gold_source,
            "gold": None if self.gold is None else self.gold.to_dict(),
            "passes": [
                p.to_dict()
                for p in sorted(self.passes, key=lambda p: (p.annotator, p.ls_annotation_id))
            ],
            "repairs": [asdict(r) for r in self.repairs],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentAnnotations:
        return cls(
            doc_id=d["doc_id"],
            text_sha256=d["text_sha256"],
            ls_task_id=d.get("ls_task_id"),
            passes=tuple(AnnotatorPass.from_dict(p) for p in d.get("passes", ())),
            skipped=d.get("skipped", 0),
            gold=None if d.get("gold") is None else Layers.from_dict(d["gold"]),
            gold_source=d.get("gold_source"),
            status=dict(d.get("status", {})),
            repairs=tuple(OffsetRepair(**r) for r in d.get("repairs", ())),
        )


@dataclass(frozen=True)
class Incident:
    """What every check returns (UD validate style): a stable id, where, and why."""

    check_id: str
    severity: Severity
    doc_id: str | None
    where: str  # file, span or row, e.g. "annotations/x.json: entity e12 [40:47]"
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.severity.upper()} [{self.check_id}] {self.where}: {self.message}"


__all__ = [
    "AnnotatorPass",
    "Document",
    "DocumentAnnotations",
    "Entity",
    "Event",
    "EventArgument",
    "Incident",
    "Layers",
    "OffsetRepair",
    "ProvenanceRange",
    "Quote",
    "Span",
    "replace",
    "sha256_text",
]
