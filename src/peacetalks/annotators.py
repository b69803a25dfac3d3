"""Who is behind each annotator pseudonym: its kind and a public description, nothing personal.

annotations/annotators.yaml is the one place that says whether a pass came from a person or from
an AI model, so that the dataset card can state provenance truthfully. It never holds a name or an
e-mail address: a pseudonym maps to a kind and a description of the role (for people, e.g.
"project annotator, trained on GUIDELINES.md"; for models, which model and how it was used).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import PeacetalksError
from .paths import Repo

# kind -> the Hugging Face `annotations_creators` value it implies.
KINDS = {
    "human": "expert-generated",
    "crowd": "crowdsourced",
    "ai-model": "machine-generated",
    "synthetic": "machine-generated",  # generated test or benchmark data, never a release
}
PSEUDONYM = re.compile(r"^ann-[0-9a-z]{4,32}$")
EMAIL = re.compile(r"[^\s@]+@[^\s@]+")


@dataclass(frozen=True)
class AnnotatorInfo:
    pseudonym: str
    kind: str
    description: str

    @property
    def annotations_creator(self) -> str:
        return KINDS[self.kind]


def registry_file(repo: Repo) -> Path:
    return repo.annotations_dir / "annotators.yaml"


def load_registry(repo: Repo) -> dict[str, AnnotatorInfo]:
    """The declared annotators; {} when the file does not exist yet."""
    path = registry_file(repo)
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise PeacetalksError(f"{path}: invalid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise PeacetalksError(f"{path}: must map pseudonyms to {{kind, description}}")
    out = {}
    for pseudonym, body in data.items():
        where = f"{path}: {pseudonym}"
        if not isinstance(pseudonym, str) or not PSEUDONYM.match(pseudonym):
            raise PeacetalksError(f"{where}: not a pseudonym of the form ann-<hex>")
        if not isinstance(body, dict) or body.get("kind") not in KINDS:
            raise PeacetalksError(f"{where}: kind must be one of {', '.join(KINDS)}")
        description = str(body.get("description", "")).strip()
        if not description:
            raise PeacetalksError(f"{where}: a description is required")
        if EMAIL.search(description):
            raise PeacetalksError(f"{where}: the description contains an e-mail address")
        out[pseudonym] = AnnotatorInfo(pseudonym, body["kind"], " ".join(description.split()))
    return out
