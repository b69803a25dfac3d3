"""Safe file writes: a partial write never replaces a good file (temp file in the same folder,
fsync, then rename), and a group of files is replaced all together or not at all."""

from __future__ import annotations

import json
import os
import pickle
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import orjson


def _default_mode() -> int:
    # mkstemp creates 0600 files; data files should get the usual rw-r--r-- (minus the umask).
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _default_mode()


_PRETTY = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE


def dumps_json_bytes(data: Any) -> bytes:
    """Pretty, stable JSON (2-space indent, UTF-8, keys in insertion order, final newline) so
    that git diffs of data files stay readable. orjson writes it ~20x faster than the stdlib,
    whose indenting encoder is pure Python (it dominated a 10k-task pull); for our data the
    bytes are the same as json.dumps(indent=2, ensure_ascii=False). What orjson refuses
    (integers beyond 64 bits, non-string keys) goes through the stdlib."""
    try:
        return orjson.dumps(data, option=_PRETTY)
    except TypeError:
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def dumps_json(data: Any) -> str:
    return dumps_json_bytes(data).decode("utf-8")


def loads_json(data: bytes | str) -> Any:
    """orjson.loads: its JSONDecodeError is a ValueError (and json.JSONDecodeError), like the
    stdlib's, so callers' error handling is the same; invalid UTF-8 is a ValueError too."""
    return orjson.loads(data)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, data: Any) -> None:
    atomic_write_bytes(path, dumps_json_bytes(data))


def read_json(path: Path) -> Any:
    return orjson.loads(path.read_bytes())


def load_cache_pickle(path: Path) -> dict:
    """A private, git-ignored cache dict that this package pickled earlier, or {} when it is
    missing, unreadable or not a dict: a cache is never worth an error."""
    try:
        data = pickle.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


class FileBatch:
    """Collects writes and deletions; `commit()` applies them only after every temp file is
    written, so an exception while preparing leaves the target folder exactly as it was.

    Temp files are flushed to disk with one `os.sync()` before the renames rather than one
    fsync per file: a pull of thousands of files spent most of its time in fsync."""

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []
        self._deletions: list[Path] = []

    def write_bytes(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, FILE_MODE)
        self._staged.append((Path(tmp), path))

    def write_json(self, path: Path, data: Any) -> None:
        self.write_bytes(path, dumps_json_bytes(data))

    def delete(self, path: Path) -> None:
        self._deletions.append(path)

    def commit(self) -> None:
        if self._staged:
            os.sync()  # every temp file is durable before any target is replaced
        for tmp, target in self._staged:
            os.replace(tmp, target)
        for path in self._deletions:
            path.unlink(missing_ok=True)
        self._staged.clear()
        self._deletions.clear()

    def discard(self) -> None:
        for tmp, _ in self._staged:
            tmp.unlink(missing_ok=True)
        self._staged.clear()
        self._deletions.clear()


@contextmanager
def file_batch() -> Iterator[FileBatch]:
    batch = FileBatch()
    try:
        yield batch
    except BaseException:
        batch.discard()
        raise
    batch.commit()
