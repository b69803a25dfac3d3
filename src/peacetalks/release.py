"""Publish a versioned release into a dataset repository folder (a git repository).

`release(repo, bump, dataset_repo_dir)`:
1. validates the repository (peacetalks.validate) and refuses on any error;
2. builds the release into a staging folder and verifies it (build.py);
3. diffs it with the previous release (the dataset repository's release_manifest.json and
   schema/released/taxonomy.yaml) and refuses a bump smaller than the change requires:
   schema break → major; documents or annotations added/removed/changed, or schema additions →
   minor; metadata, card or wording fixes → patch; nothing changed → refused;
4. validates the built release too, then copies it into the dataset repository, commits and tags
   vX.Y.Z (an old version is one `git checkout` / `git worktree add` away: `load_dataset`
   ignores `revision=` for local folders);
5. records the version in pyproject.toml (the one place), prepends the CHANGELOG.md entry and
   copies schema/taxonomy.yaml to schema/released/taxonomy.yaml;
6. with `push_repo_id`, uploads the folder and the tag to the Hugging Face Hub.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import ReleaseError
from .fsio import atomic_write_bytes, atomic_write_text, read_json
from .paths import Repo
from .taxonomy import Taxonomy, load_taxonomy
from .version import BUMPS, UNRELEASED, bump_version, read_dataset_version, write_dataset_version

MANIFEST = "release_manifest.json"
# Files of the dataset repository that a release owns (everything else, e.g. .git or a
# .gitattributes the user added, is left alone).
OWNED = ("README.md", "SHA256SUMS", MANIFEST, "taxonomy.yaml", "GUIDELINES.md", "CHANGELOG.md", "data")


@dataclass
class ReleaseDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    text_changed: list[str] = field(default_factory=list)
    annotations_changed: list[str] = field(default_factory=list)
    metadata_changed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)  # split changed: must never happen
    schema_bump: str | None = None
    schema_changes: list[str] = field(default_factory=list)
    card_changed: bool = False

    @property
    def required(self) -> str | None:
        """The smallest bump this change needs (None: nothing changed)."""
        if self.schema_bump == "major":
            return "major"
        if self.added or self.removed or self.text_changed or self.annotations_changed or self.schema_bump == "minor":
            return "minor"
        if self.metadata_changed or self.card_changed or self.schema_bump == "patch":
            return "patch"
        return None


@dataclass
class ReleaseResult:
    version: str
    previous: str
    tag: str
    dataset_repo: Path
    diff: ReleaseDiff
    changelog: str
    commit: str
    pushed: str | None = None


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ}
    # A commit needs an identity; do not depend on the machine's global git config.
    env.setdefault("GIT_AUTHOR_NAME", "peacetalks release")
    env.setdefault("GIT_AUTHOR_EMAIL", "release@peacetalks.invalid")
    env.setdefault("GIT_COMMITTER_NAME", env["GIT_AUTHOR_NAME"])
    env.setdefault("GIT_COMMITTER_EMAIL", env["GIT_AUTHOR_EMAIL"])
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise ReleaseError("git is not installed; a release is a git commit and tag") from exc
    if proc.returncode != 0:
        raise ReleaseError(f"{cwd}: git {' '.join(args)} failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout.strip()


def _schema_diff(old: Taxonomy | None, new: Taxonomy) -> tuple[str | None, list[str]]:
    """(required bump, human-readable changes): the schema stage owns what "breaking" means."""
    if old is None:
        return None, []
    from .schema_diff import diff_taxonomies

    d = diff_taxonomies(old, new)
    if d.version_problems:
        raise ReleaseError("schema/taxonomy.yaml: " + "; ".join(d.version_problems))
    return d.required_bump, [str(c) for c in d.changes]


def diff_manifests(old: dict[str, Any] | None, new: dict[str, Any]) -> ReleaseDiff:
    """Document-level differences. Manifest rows: [split, text_sha256, annotations_sha, meta_sha]."""
    diff = ReleaseDiff()
    old_docs = (old or {}).get("documents", {})
    new_docs = new["documents"]
    diff.added = sorted(set(new_docs) - set(old_docs))
    diff.removed = sorted(set(old_docs) - set(new_docs))
    for d in sorted(set(old_docs) & set(new_docs)):
        o, n = old_docs[d], new_docs[d]
        if o[0] != n[0]:
            diff.moved.append(d)
        if o[1] != n[1]:
            diff.text_changed.append(d)
        if o[2] != n[2]:
            diff.annotations_changed.append(d)
        if o[3] != n[3]:
            diff.metadata_changed.append(d)
    if old is not None:
        diff.card_changed = any(
            old.get(k) != new.get(k) for k in ("card_sha256", "guidelines_sha256")
        )
    return diff


def _ids(ids: list[str], limit: int = 20) -> str:
    shown = ", ".join(f"`{d}`" for d in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def changelog_entry(
    version: str, previous: str, bump: str, diff: ReleaseDiff,
    old: dict[str, Any] | None, new: dict[str, Any],
) -> str:
    """Markdown for CHANGELOG.md, generated from the diff (no dates: reproducible)."""
    lines = [f"## v{version}", ""]
    lines.append(f"Bump: {bump} (previous release: {'none' if previous == UNRELEASED else 'v' + previous}).")
    lines.append("")
    old_schema = (old or {}).get("schema_version")
    if old_schema is None:
        lines.append(f"- Schema: taxonomy {new['schema_version']} (first release).")
    elif diff.schema_changes or old_schema != new["schema_version"]:
        lines.append(f"- Schema: taxonomy {old_schema} → {new['schema_version']}"
                     f" ({diff.schema_bump or 'no'} change):")
        lines += [f"  - {c}" for c in diff.schema_changes]
    else:
        lines.append(f"- Schema: unchanged (taxonomy {new['schema_version']}).")
    for label, ids in [("added", diff.added), ("removed", diff.removed),
                       ("text changed", diff.text_changed),
                       ("annotations changed", diff.annotations_changed),
                       ("metadata changed", diff.metadata_changed)]:
        lines.append(f"- Documents {label}: {len(ids)}" + (f" ({_ids(ids)})" if ids else ""))
    if diff.card_changed:
        lines.append("- Dataset card prose or annotation guidelines changed.")
    lines += ["", "| split | documents | tokens | entities | quotes | events |", "|---|---|---|---|---|---|"]
    old_splits = (old or {}).get("splits", {})

    def cell(split: str, key: str) -> str:
        get = lambda m: (m.get(split, {}).get(key, 0) if not isinstance(m.get(split, {}).get(key, 0), dict)  # noqa: E731
                         else sum(m.get(split, {}).get(key, {}).values()))
        now, before = get(new["splits"]), get(old_splits)
        return f"{now} ({now - before:+d})"

    for split, _ in new["splits"].items():
        lines.append(f"| {split} | " + " | ".join(cell(split, k) for k in
                     ("documents", "tokens", "entities", "quotes", "events")) + " |")
    for key, title in [("entities", "Entity mentions per label"), ("quotes", "Quotes per kind"),
                       ("events", "Events per type")]:
        labels = sorted({lab for m in (new["splits"], old_splits) for s in m.values() for lab in s.get(key, {})})
        if not labels:
            continue
        splits = list(new["splits"])
        lines += ["", f"{title} (change from the previous release):", "",
                  "| label | " + " | ".join(splits) + " |", "|---|" + "---|" * len(splits)]
        for lab in labels:
            cells = []
            for s in splits:
                now = new["splits"][s].get(key, {}).get(lab, 0)
                before = old_splits.get(s, {}).get(key, {}).get(lab, 0)
                cells.append(f"{now} ({now - before:+d})")
            lines.append(f"| {lab} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


CHANGELOG_HEAD = (
    "# Changelog\n\nReleases of the peacetalks dataset, newest first "
    "(generated by `peacetalks release`).\n"
)


def prepend_changelog(old: str | None, entry: str) -> str:
    """The new CHANGELOG.md text: the fixed heading, the new entry, then the older entries."""
    body = old or ""
    if body.startswith(CHANGELOG_HEAD):
        body = body[len(CHANGELOG_HEAD):]
    body = body.strip("\n")
    return CHANGELOG_HEAD + "\n" + entry + ("\n" + body + "\n" if body else "")


def _load_tax(path: Path) -> Taxonomy | None:
    # load_taxonomy validates like every other reader (duplicate keys, names, references) and
    # names this file in its SchemaError; None only when there is no released taxonomy yet.
    return load_taxonomy(path) if path.is_file() else None


def _default_validator(repo: Repo, release_dir: Path) -> list[str]:
    from .validate import validate_repo

    report = validate_repo(repo, release_dir)
    return [str(i) for i in report.errors]


def _prepare_dataset_repo(path: Path) -> None:
    if not path.exists() or (path.is_dir() and not any(path.iterdir())):
        path.mkdir(parents=True, exist_ok=True)
        _git(path, "init", "-q")
        return
    if not (path / ".git").exists():
        raise ReleaseError(f"{path}: not a git repository (and not empty); refusing to publish into it")
    if _git(path, "status", "--porcelain"):
        raise ReleaseError(f"{path}: uncommitted changes in the dataset repository; commit or discard them first")


def release(
    repo: Repo,
    bump: str,
    dataset_repo_dir: Path,
    push_repo_id: str | None = None,
    *,
    validator: Callable[[Repo, Path], list[str]] | None = None,
) -> ReleaseResult:
    from .build import build_release

    if bump not in BUMPS:
        raise ReleaseError(f"bump must be one of {', '.join(BUMPS)}, got {bump!r}")
    validator = validator or _default_validator
    dataset_repo_dir = Path(dataset_repo_dir).resolve()
    _prepare_dataset_repo(dataset_repo_dir)

    previous = read_dataset_version(repo)
    old_manifest = read_json(dataset_repo_dir / MANIFEST) if (dataset_repo_dir / MANIFEST).is_file() else None
    published = (old_manifest or {}).get("dataset_version", UNRELEASED)
    if published != previous:
        raise ReleaseError(
            f"pyproject.toml says dataset-version {previous} but {dataset_repo_dir} holds release "
            f"{published}; point --repo at the dataset repository of this project"
        )
    version = bump_version(previous, bump)
    tag = f"v{version}"
    if _git(dataset_repo_dir, "tag", "--list", tag):
        raise ReleaseError(f"{dataset_repo_dir}: tag {tag} already exists")

    repo.state_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="release-", dir=repo.state_dir) as tmp:
        staging = Path(tmp) / "release"
        built = build_release(repo, staging, version=version, verify="full")
        diff = diff_manifests(old_manifest, built.manifest)
        old_tax = _load_tax(repo.released_taxonomy) or _load_tax(dataset_repo_dir / "taxonomy.yaml")
        diff.schema_bump, diff.schema_changes = _schema_diff(old_tax, _load_tax(repo.taxonomy_file))
        if diff.moved:
            raise ReleaseError(f"documents changed split since {published}: {_ids(diff.moved)} "
                               "(corpus/splits.json is frozen: restore it from git)")
        required = diff.required if old_manifest is not None else "patch"
        if required is None:
            raise ReleaseError(f"nothing changed since v{published}: no release needed")
        if BUMPS.index(bump) < BUMPS.index(required):
            reasons = [f"{len(getattr(diff, k))} document(s) {what}" for k, what in
                       (("added", "added"), ("removed", "removed"), ("text_changed", "with new text"),
                        ("annotations_changed", "with changed annotations"),
                        ("metadata_changed", "with changed metadata")) if getattr(diff, k)]
            if diff.schema_bump:
                reasons.insert(0, f"a {diff.schema_bump} schema change")
            raise ReleaseError(f"--bump {bump} is too small: {', '.join(reasons) or 'the change'} "
                               f"requires --bump {required}")
        errors = validator(repo, staging)
        if errors:
            shown = "\n  ".join(errors[:10])
            raise ReleaseError(f"validation failed with {len(errors)} error(s); nothing released:\n  {shown}")

        entry = changelog_entry(version, previous, bump, diff, old_manifest, built.manifest)
        changelog = repo.root / "CHANGELOG.md"
        changelog_text = prepend_changelog(
            changelog.read_text(encoding="utf-8") if changelog.is_file() else None, entry
        )
        for name in OWNED:
            target = dataset_repo_dir / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        for item in sorted(staging.iterdir()):
            dest = dataset_repo_dir / item.name
            shutil.copytree(item, dest) if item.is_dir() else shutil.copy2(item, dest)
        (dataset_repo_dir / "CHANGELOG.md").write_text(changelog_text, encoding="utf-8")

    _git(dataset_repo_dir, "add", "-A")
    _git(dataset_repo_dir, "commit", "-q", "-m", f"peacetalks {tag}\n\n{entry}")
    _git(dataset_repo_dir, "tag", "-a", tag, "-m", f"peacetalks {tag}")
    commit = _git(dataset_repo_dir, "rev-parse", "HEAD")
    # The project repository records the release only once the tag exists.
    atomic_write_text(changelog, changelog_text)
    write_dataset_version(repo, version)
    atomic_write_bytes(repo.released_taxonomy, repo.taxonomy_file.read_bytes())
    result = ReleaseResult(version, previous, tag, dataset_repo_dir, diff, entry, commit)
    if push_repo_id:
        result.pushed = push_release(dataset_repo_dir, push_repo_id, tag)
    return result


def push_release(dataset_repo_dir: Path, repo_id: str, tag: str) -> str:
    """Upload the dataset repository folder and its tag to the Hugging Face Hub."""
    from huggingface_hub import HfApi, constants, get_token

    if not get_token():
        raise ReleaseError(
            f"cannot push to {repo_id}: no Hugging Face token (set HF_TOKEN or run "
            f"`hf auth login`); the local release {tag} in {dataset_repo_dir} is complete"
        )
    offline = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = False  # the user asked for this one network operation
    try:
        api = HfApi()
        api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
        info = api.upload_folder(folder_path=str(dataset_repo_dir), repo_id=repo_id, repo_type="dataset",
                                 ignore_patterns=[".git/*", ".git"], commit_message=f"peacetalks {tag}")
        api.create_tag(repo_id, tag=tag, repo_type="dataset", exist_ok=True)
    except Exception as exc:  # network, auth, permissions: one clear line, never a traceback
        raise ReleaseError(
            f"cannot push {tag} to the Hub repository {repo_id}: {type(exc).__name__}: {exc}; "
            f"the local release in {dataset_repo_dir} is complete, retry the push later"
        ) from exc
    finally:
        constants.HF_HUB_OFFLINE = offline
    return str(getattr(info, "commit_url", repo_id))
