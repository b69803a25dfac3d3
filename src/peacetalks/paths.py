"""Where things live in the repository: the one place that spells these paths."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "PEACETALKS_ROOT"


def find_root(start: Path | None = None) -> Path:
    """The repository root: $PEACETALKS_ROOT, else the nearest parent holding schema/taxonomy.yaml."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "schema" / "taxonomy.yaml").is_file():
            return candidate
    # Fall back to the checkout that holds this package (editable install).
    return Path(__file__).resolve().parents[2]


def json_stems(directory: Path) -> list[str]:
    """Sorted names (without .json) of the JSON files in `directory`, [] when it does not exist.
    One listdir, no Path objects: 100k documents are listed several times per build."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    return sorted(n[:-5] for n in names if n.endswith(".json") and not n.startswith("."))


@dataclass(frozen=True)
class Repo:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Repo:
        return cls(find_root(start))

    # corpus
    @property
    def raw_dir(self) -> Path:
        return self.root / "corpus" / "raw"

    @property
    def manifest(self) -> Path:
        return self.root / "corpus" / "raw" / "manifest.json"

    @property
    def clean_dir(self) -> Path:
        return self.root / "corpus" / "clean"

    def doc_ids(self) -> list[str]:
        """Ids of the cleaned documents (file stem == doc_id, as store.save_document writes)."""
        return json_stems(self.clean_dir)

    def annotated_ids(self) -> list[str]:
        return json_stems(self.annotations_dir)

    @property
    def clusters_file(self) -> Path:
        return self.root / "corpus" / "clusters.json"

    @property
    def splits_file(self) -> Path:
        return self.root / "corpus" / "splits.json"

    # annotations
    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"

    def annotation_file(self, doc_id: str) -> Path:
        return self.annotations_dir / f"{doc_id}.json"

    @property
    def entity_patterns_file(self) -> Path:
        """Pre-annotation rules (entity patterns, quote cues) used by `ls push`."""
        return self.annotations_dir / "entity_patterns.yaml"

    @property
    def guidelines(self) -> Path:
        return self.annotations_dir / "GUIDELINES.md"

    # schema
    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def taxonomy_file(self) -> Path:
        return self.root / "schema" / "taxonomy.yaml"

    @property
    def generated_dir(self) -> Path:
        return self.root / "schema" / "generated"

    @property
    def released_taxonomy(self) -> Path:
        """The taxonomy of the last release (written by the release step; absent before it)."""
        return self.root / "schema" / "released" / "taxonomy.yaml"

    # validation
    @property
    def validation_dir(self) -> Path:
        return self.root / "validation"

    # release
    @property
    def dataset_card(self) -> Path:
        return self.root / "dataset_card.md"

    @property
    def release_dir(self) -> Path:
        """Default output of `peacetalks build` (git-ignored)."""
        return self.root / "dist" / "peacetalks"

    # local state, git-ignored: caches, Label Studio data, secrets, reports
    @property
    def state_dir(self) -> Path:
        return self.root / ".peacetalks"

    @property
    def cache_dir(self) -> Path:
        return self.state_dir / "cache"

    @property
    def reports_dir(self) -> Path:
        return self.state_dir / "reports"

    # Label Studio (local, git-ignored unless stated)
    @property
    def ls_data_dir(self) -> Path:
        """SQLite + media of the local Label Studio server (`peacetalks ls serve`)."""
        return self.state_dir / "labelstudio"

    @property
    def ls_pid_file(self) -> Path:
        return self.state_dir / "labelstudio" / "server.json"

    @property
    def secrets_file(self) -> Path:
        """Generated Label Studio admin credentials (mode 0600); never in git, logs or exports."""
        return self.state_dir / "secrets.json"

    @property
    def pull_state_file(self) -> Path:
        return self.state_dir / "ls-pull-state.json"

    @property
    def ls_export_cache(self) -> Path:
        return self.cache_dir / "ls-exports"

    @property
    def pseudonym_key_file(self) -> Path:
        """Tracked: keys annotator pseudonyms, so every clone derives the same ones."""
        return self.annotations_dir / ".pseudonym-key"
