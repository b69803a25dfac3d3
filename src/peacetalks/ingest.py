"""Raw files into corpus/raw/: byte-identical copies plus a manifest with provenance.

Ids are the first 16 hex digits of the sha256 of the bytes: stable, safe as file names whatever
the input was called, and the same bytes always give the same id (ingest is idempotent). A file
whose name matches a current entry but whose bytes differ is a new version: the old raw file is
kept and marked superseded. Maintainers edit provenance in manifest.json by hand; ingest only
adds entries and version links and never overwrites a value someone filled in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .decode import MAX_BYTES, check_size
from .errors import PeacetalksError, RejectedInput
from .fsio import atomic_write_bytes, read_json, write_json
from .paths import Repo

MANIFEST_VERSION = 1
ID_HEX = 16
PROVENANCE_FIELDS = ("publisher", "url", "retrieved_at", "licence")
_EXT = {"text/plain": ".txt", "text/html": ".html"}


@dataclass(frozen=True)
class RawRecord:
    """One raw file with what the manifest says about it: the input of the cleaner."""

    doc_id: str
    raw_file: str  # relative to the repository root
    sha256: str
    media_type: str
    data: bytes = field(repr=False)
    url: str | None = None
    publisher: str | None = None


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # doc ids
    unchanged: list[str] = field(default_factory=list)
    superseded: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    rejected: list[RejectedInput] = field(default_factory=list)
    repaired: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (name, notes)


def doc_id_for(data: bytes) -> tuple[str, str]:
    digest = hashlib.sha256(data).hexdigest()
    return digest[:ID_HEX], digest


def load_manifest(repo: Repo) -> dict[str, Any]:
    if not repo.manifest.exists():
        return {"manifest_version": MANIFEST_VERSION, "files": {}}
    try:
        data = read_json(repo.manifest)
    except ValueError as exc:
        raise PeacetalksError(f"{repo.manifest}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise PeacetalksError(f"{repo.manifest}: expected an object with a 'files' object")
    for doc_id, entry in data["files"].items():
        missing = {"sha256", "raw_file", "original_name", "media_type"} - set(entry)
        if missing:
            raise PeacetalksError(f"{repo.manifest}: entry {doc_id} lacks {sorted(missing)}")
    return data


def save_manifest(repo: Repo, manifest: dict[str, Any]) -> None:
    manifest["files"] = dict(sorted(manifest["files"].items()))
    write_json(repo.manifest, manifest)


def current_entries(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Entries that are not superseded by a newer version, sorted by doc_id."""
    return [e for _, e in sorted(manifest["files"].items()) if not e.get("superseded_by")]


def read_record(repo: Repo, entry: dict[str, Any]) -> RawRecord:
    path = repo.root / entry["raw_file"]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RejectedInput(entry["raw_file"], "unreadable", str(exc)) from exc
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        # Raw files are never edited: a mismatch means someone did, and we refuse to guess.
        raise RejectedInput(entry["raw_file"], "raw-file-modified", "sha256 differs from manifest")
    return RawRecord(entry["doc_id"], entry["raw_file"], entry["sha256"], entry["media_type"],
                     data, entry.get("url"), entry.get("publisher"))


def ingest_paths(
    repo: Repo,
    paths: list[Path],
    provenance: dict[str, str | None] | None = None,
    progress: Callable[[Path], None] | None = None,
) -> IngestReport:
    """Add files to corpus/raw/ and the manifest. Bad files are reported, the rest proceed."""
    from .clean import clean_bytes, sniff_media_type  # clean imports RawRecord from here

    manifest = load_manifest(repo)
    files: dict[str, dict[str, Any]] = manifest["files"]
    report = IngestReport()
    given = {k: v for k, v in (provenance or {}).items() if v}
    for path in paths:
        if progress:
            progress(path)
        where = str(path)
        try:
            size = path.stat().st_size
            check_size(size, where)  # refuse before reading 50 MB into memory
            data = path.read_bytes()
            doc_id, digest = doc_id_for(data)
            media_type = sniff_media_type(path.name, data)
            # Only files the cleaner accepts are stored: a raw file that can never become a
            # document (binary, empty, no article) would only be dead weight in git.
            decoded = clean_bytes(data, where, media_type)
        except RejectedInput as exc:
            report.rejected.append(exc)
            continue
        except OSError as exc:
            report.rejected.append(RejectedInput(where, "unreadable", exc.strerror or str(exc)))
            continue
        if decoded.notes:
            report.repaired.append((where, decoded.notes))
        if doc_id in files:
            entry = files[doc_id]
            _fill_missing(entry, given)
            report.unchanged.append(doc_id)
            continue
        raw_file = f"corpus/raw/{doc_id}{_EXT[media_type]}"
        target = repo.root / raw_file
        if not target.exists():
            atomic_write_bytes(target, data)
        previous = [e for e in files.values()
                    if e["original_name"] == path.name and not e.get("superseded_by")]
        entry = {
            "doc_id": doc_id,
            "raw_file": raw_file,
            "sha256": digest,
            "original_name": path.name,
            "size": size,
            "encoding": decoded.encoding,
            "media_type": media_type,
            "decode_notes": list(decoded.notes),
            **{k: None for k in PROVENANCE_FIELDS},
            "version": 1,
            "supersedes": None,
            "superseded_by": None,
        }
        _fill_missing(entry, given)
        for old in previous:  # at most one current entry per original name
            old["superseded_by"] = doc_id
            entry["supersedes"] = old["doc_id"]
            entry["version"] = int(old.get("version") or 1) + 1
            for key in PROVENANCE_FIELDS:  # the same document, re-fetched: carry hand edits over
                if entry[key] is None and old.get(key) is not None:
                    entry[key] = old[key]
            report.superseded.append((old["doc_id"], doc_id))
        files[doc_id] = entry
        report.added.append(doc_id)
    save_manifest(repo, manifest)
    return report


def _fill_missing(entry: dict[str, Any], given: dict[str, str]) -> None:
    for key, value in given.items():
        if entry.get(key) is None:
            entry[key] = value


__all__ = ["MAX_BYTES", "IngestReport", "RawRecord", "current_entries", "doc_id_for",
           "ingest_paths", "load_manifest", "read_record", "save_manifest"]
