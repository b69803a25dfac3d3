"""The dataset version: ONE place, `[tool.peacetalks] dataset-version` in pyproject.toml.

Read with tomllib; written by replacing that single line (so comments, order and formatting of
the rest of pyproject.toml stay exactly as they were). "0.0.0" means "never released".
"""

from __future__ import annotations

import re
import tomllib

from .errors import ReleaseError
from .fsio import atomic_write_text
from .paths import Repo

UNRELEASED = "0.0.0"
BUMPS = ("patch", "minor", "major")  # in increasing size
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_LINE = re.compile(r'^(dataset-version\s*=\s*)"[^"]*"(.*)$', re.MULTILINE)
_SECTION = re.compile(r"^\[tool\.peacetalks\]\s*$", re.MULTILINE)


def read_dataset_version(repo: Repo) -> str:
    path = repo.root / "pyproject.toml"
    if not path.is_file():
        return UNRELEASED
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ReleaseError(f"{path}: invalid TOML ({exc})") from exc
    version = str(data.get("tool", {}).get("peacetalks", {}).get("dataset-version", UNRELEASED))
    if not _SEMVER.match(version):
        raise ReleaseError(f"{path}: [tool.peacetalks] dataset-version must be X.Y.Z, got {version!r}")
    return version


def write_dataset_version(repo: Repo, version: str) -> None:
    """Replace the one line (or add the section when the project never had one)."""
    if not _SEMVER.match(version):
        raise ReleaseError(f"not a version: {version!r}")
    path = repo.root / "pyproject.toml"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    section = _SECTION.search(text)
    if section:
        # only the dataset-version line inside [tool.peacetalks] (up to the next section)
        nxt = re.search(r"^\[", text[section.end():], re.MULTILINE)
        end = section.end() + (nxt.start() if nxt else len(text) - section.end())
        body = text[section.end():end]
        if _LINE.search(body):
            body = _LINE.sub(lambda m: f'{m.group(1)}"{version}"{m.group(2)}', body, count=1)
        else:
            body = f'\ndataset-version = "{version}"' + body
        new = text[: section.end()] + body + text[end:]
    else:
        new = text + ("" if text.endswith("\n") or not text else "\n")
        new += f'\n[tool.peacetalks]\ndataset-version = "{version}"\n'
    atomic_write_text(path, new)
    if read_dataset_version(repo) != version:  # never leave a file we cannot read back
        raise ReleaseError(f"{path}: could not record dataset-version {version}")


def bump_version(version: str, bump: str) -> str:
    m = _SEMVER.match(version)
    if not m or bump not in BUMPS:
        raise ReleaseError(f"cannot bump {version!r} by {bump!r} (bumps: {', '.join(BUMPS)})")
    major, minor, patch = map(int, m.groups())
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"
