"""Helpers for the Label Studio tests: documents, annotating through the API, reading files."""

from __future__ import annotations

from pathlib import Path

from peacetalks.convert import layers_to_results
from peacetalks.ls_client import LS
from peacetalks.model import Document, Layers, sha256_text
from peacetalks.paths import Repo
from peacetalks.push import iter_tasks
from peacetalks.store import save_document


def make_doc(doc_id: str, text: str, title: str | None = None) -> Document:
    return Document(
        doc_id=doc_id, title=title or f"Title of {doc_id}", text=text,
        text_sha256=sha256_text(text), date=None, dateline=None, publisher=None, url=None,
        language="en", raw_sha256="0" * 64, raw_file=f"corpus/raw/{doc_id}.txt",
        media_type="text/plain", cleaner_version="test",
    )


def add_docs(repo: Repo, docs: list[Document]) -> None:
    for doc in docs:
        save_document(repo, doc)


def task_ids(ls: LS, project_id: int) -> dict[str, int]:
    """doc_id -> task id (fails on duplicates, which push must never create)."""
    out: dict[str, int] = {}
    for t in iter_tasks(ls, project_id, include="id,data"):
        doc_id = t["data"]["doc_id"]
        assert doc_id not in out, f"duplicate task for {doc_id}"
        out[doc_id] = t["id"]
    return out


def annotate(ls: LS, task_id: int, layers: Layers, tax, user_id: int | None = None,
             **extra) -> int:
    kwargs = {"completed_by": user_id} if user_id is not None else {}
    ann = ls.sdk.annotations.create(id=task_id, result=layers_to_results(layers, tax),
                                    lead_time=12.5, **kwargs, **extra)
    return int(ann.id)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}
