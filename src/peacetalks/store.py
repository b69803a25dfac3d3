"""Read the repository's derived data: cleaned documents and annotation files."""

from __future__ import annotations

from pathlib import Path

from .errors import PeacetalksError
from .fsio import read_json, write_json
from .model import Document, DocumentAnnotations
from .paths import Repo


def load_document(path: Path) -> Document:
    try:
        return Document.from_dict(read_json(path))
    except (ValueError, KeyError, TypeError) as exc:
        raise PeacetalksError(f"{path}: not a valid cleaned document ({exc})") from exc


def load_documents(repo: Repo) -> list[Document]:
    """Every cleaned document, sorted by doc_id."""
    return [load_document(p) for p in sorted(repo.clean_dir.glob("*.json"))]


def save_document(repo: Repo, doc: Document) -> Path:
    path = repo.clean_dir / f"{doc.doc_id}.json"
    write_json(path, doc.to_dict())
    return path


def load_annotations(repo: Repo) -> dict[str, DocumentAnnotations]:
    """annotations/<doc_id>.json for every annotated document, keyed by doc_id."""
    out: dict[str, DocumentAnnotations] = {}
    for path in sorted(repo.annotations_dir.glob("*.json")):
        try:
            ann = DocumentAnnotations.from_dict(read_json(path))
        except (ValueError, KeyError, TypeError) as exc:
            raise PeacetalksError(f"{path}: not a valid annotation file ({exc})") from exc
        out[ann.doc_id] = ann
    return out
