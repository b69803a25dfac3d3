"""Schema evolution: compare the taxonomy with the last released one and say what bump it needs.

The released taxonomy is stored by the release step at schema/released/taxonomy.yaml (absent
before the first release: everything is "initial"). Rules (semver of the dataset):

- major (breaking): a label removed or renamed, a label moved to another group, labels reordered
  or a new label inserted before an existing one (ClassLabel ids are positions: an existing id
  would change meaning), a role's/relation's allowed labels narrowed, a CAMEO code removed;
- minor (additive): a label appended, allowed labels widened, a CAMEO code added;
- patch: descriptions and examples only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from .taxonomy import SECTIONS, Label, Taxonomy, load_taxonomy

Bump = Literal["major", "minor", "patch"]
BUMP_ORDER: tuple[Bump, ...] = ("patch", "minor", "major")
# Sections whose order is meaningful: ClassLabel ids (entities, kinds, types, realis, roles) and
# attribution_labels (the first is the quote label, the second the cue label).
ORDERED_SECTIONS = frozenset(SECTIONS) - {"relations"}


@dataclass(frozen=True)
class SchemaChange:
    kind: str  # initial|removed|renamed|moved|reordered|added|narrowed|widened|cameo|description|example
    section: str
    name: str
    bump: Bump | None
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        level = self.bump or "none"
        return f"[{level}] {self.section}.{self.name}: {self.kind}: {self.detail}"


@dataclass(frozen=True)
class SchemaDiff:
    old_version: str | None
    new_version: str
    changes: tuple[SchemaChange, ...] = ()
    required_bump: Bump | None = None  # None: nothing changed, or initial (no release yet)
    initial: bool = False
    version_problems: tuple[str, ...] = field(default=())

    @property
    def breaking(self) -> bool:
        return self.required_bump == "major"

    def to_dict(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "initial": self.initial,
            "required_bump": self.required_bump,
            "version_problems": list(self.version_problems),
            "changes": [c.to_dict() for c in self.changes],
        }

    def lines(self) -> list[str]:
        if self.initial:
            return [f"no released schema: version {self.new_version} is the initial schema"]
        head = (f"schema {self.old_version} -> {self.new_version}: "
                f"required bump: {self.required_bump or 'none'}")
        return [head, *(f"  {c}" for c in self.changes), *(f"  ! {p}" for p in self.version_problems)]


def _by_name(labels: tuple[Label, ...]) -> dict[str, Label]:
    return {x.name: x for x in labels}


def _renames(removed: list[Label], added: list[Label]) -> list[tuple[Label, Label]]:
    """Pairs (old, new) that look like a rename: same description or same example."""
    pairs, free = [], list(added)
    for old in removed:
        match = next((n for n in free if n.description == old.description
                      or n.example == old.example), None)
        if match is not None:
            pairs.append((old, match))
            free.remove(match)
    return pairs


def _section_changes(section: str, old: tuple[Label, ...], new: tuple[Label, ...],
                     moved_in: dict[str, str], moved_out: dict[str, str]) -> list[SchemaChange]:
    out: list[SchemaChange] = []
    o, n = _by_name(old), _by_name(new)
    removed = [x for x in old if x.name not in n and x.name not in moved_out]
    added = [x for x in new if x.name not in o and x.name not in moved_in]
    renamed_to = set()
    for a, b in _renames(removed, added):
        renamed_to.add(b.name)
        out.append(SchemaChange("renamed", section, a.name, "major", f"renamed to {b.name}"))
        removed.remove(a)
        added.remove(b)
    out += [SchemaChange("removed", section, x.name, "major", "label removed") for x in removed]
    for name, other in moved_out.items():
        out.append(SchemaChange("moved", section, name, "major", f"moved to {other}"))

    # Order: labels kept in this section must keep their positions relative to each other, and
    # new labels must come after all of them (ClassLabel ids are list positions).
    # Relations are not class ids (they are matched by name): their order is cosmetic.
    ordered = section in ORDERED_SECTIONS
    kept_old = [x.name for x in old if x.name in n]
    kept_new = [x.name for x in new if x.name in o]
    if kept_old != kept_new:
        out.append(SchemaChange("reordered", section, "*", "major" if ordered else "patch",
                                f"order changed from {kept_old} to {kept_new}"))
    last_kept = max((i for i, x in enumerate(new) if x.name in o), default=-1) if ordered else -1
    for i, x in enumerate(new):
        if x.name in o or x.name in moved_in or x.name in renamed_to:  # reported above
            continue
        if i < last_kept:
            out.append(SchemaChange("added", section, x.name, "major",
                                    "label inserted before existing labels (their ids shift)"))
        else:
            out.append(SchemaChange("added", section, x.name, "minor", "label appended"))

    for name in kept_new:
        a, b = o[name], n[name]
        out += _attribute_changes(section, a, b)
    return out


def _set_change(section: str, name: str, what: str, a: tuple[str, ...], b: tuple[str, ...],
                narrowed_kind: str, widened_kind: str) -> list[SchemaChange]:
    lost, gained = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    out = []
    if lost:
        out.append(SchemaChange(narrowed_kind, section, name, "major", f"{what} lost {lost}"))
    if gained:
        out.append(SchemaChange(widened_kind, section, name, "minor", f"{what} gained {gained}"))
    return out


def _attribute_changes(section: str, a: Label, b: Label) -> list[SchemaChange]:
    out = _set_change(section, a.name, "allowed labels", a.allowed, b.allowed, "narrowed", "widened")
    out += _set_change(section, a.name, "from labels", a.source, b.source, "narrowed", "widened")
    out += _set_change(section, a.name, "CAMEO codes", a.cameo, b.cameo, "cameo", "cameo")
    if a.description != b.description:
        out.append(SchemaChange("description", section, a.name, "patch", "description changed"))
    if a.example != b.example:
        out.append(SchemaChange("example", section, a.name, "patch",
                                f"example changed to {b.example!r}"))
    return out


def _parse_version(v: str) -> tuple[int, int, int]:
    major, minor, patch = (int(p) for p in v.split("."))
    return major, minor, patch


def _version_problems(old: str, new: str, bump: Bump | None) -> list[str]:
    """Does schema_version in taxonomy.yaml reflect the change? (The release decides the dataset
    version; this only keeps the schema's own version honest.)"""
    o, n = _parse_version(old), _parse_version(new)
    if bump is None:
        return [] if n >= o else [f"schema_version went down from {old} to {new}"]
    need = {"major": (o[0] + 1, 0, 0), "minor": (o[0], o[1] + 1, 0),
            "patch": (o[0], o[1], o[2] + 1)}[bump]
    if n < need:
        return [f"schema_version {new} is too low for a {bump} change since {old}: "
                f"set it to at least {'.'.join(map(str, need))}"]
    return []


def diff_taxonomies(old: Taxonomy | None, new: Taxonomy) -> SchemaDiff:
    """Classify every difference between the released taxonomy `old` and `new`."""
    if old is None:
        change = SchemaChange("initial", "*", "*", None, f"initial schema {new.version}")
        return SchemaDiff(None, new.version, (change,), None, initial=True)
    old_home = {x.name: s for s, labels in old.sections() for x in labels}
    new_home = {x.name: s for s, labels in new.sections() for x in labels}
    changes: list[SchemaChange] = []
    for section in SECTIONS:
        moved_out = {name: new_home[name] for name, s in old_home.items()
                     if s == section and name in new_home and new_home[name] != section}
        moved_in = {name: old_home[name] for name, s in new_home.items()
                    if s == section and name in old_home and old_home[name] != section}
        changes += _section_changes(section, getattr(old, section), getattr(new, section),
                                    moved_in, moved_out)
    levels = [c.bump for c in changes if c.bump]
    bump = max(levels, key=BUMP_ORDER.index) if levels else None
    return SchemaDiff(old.version, new.version, tuple(changes), bump,
                      version_problems=tuple(_version_problems(old.version, new.version, bump)))


def diff_files(old_path: Path | None, new_path: Path) -> SchemaDiff:
    """Diff two taxonomy files; a missing `old_path` means no release yet."""
    old = load_taxonomy(old_path) if old_path is not None and old_path.is_file() else None
    return diff_taxonomies(old, load_taxonomy(new_path))


__all__ = ["BUMP_ORDER", "SchemaChange", "SchemaDiff", "diff_files", "diff_taxonomies"]
