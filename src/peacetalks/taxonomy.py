"""Load and validate schema/taxonomy.yaml: the one place that names labels.

Every other artifact (Label Studio XML, JSON Schema, datasets.Features, card tables) is derived
from a `Taxonomy`; nothing else spells a label name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import SchemaError

# Restricted character sets: nothing in the schema can inject markup into generated XML, YAML,
# JSON or Markdown. Always matched with `fullmatch` (a `$` anchor would accept a trailing newline).
# PLAIN_TEXT has no < > & (XML), no | ` * _ [ ] # (Markdown), no { } $ (Label Studio variables,
# templates), no backslash and no control characters; the straight double quote is allowed
# because quotation examples need it, and every generator escapes it (XML serializer, JSON, YAML).
LABEL_NAME = re.compile(r"[A-Z][A-Z_]{0,31}")
RELATION_NAME = re.compile(r"[a-z][a-z_]{0,31}")
PLAIN_TEXT = re.compile(r"[A-Za-z0-9 .,;:'\"()\-/%?!]{1,200}")
SEMVER = re.compile(r"\d+\.\d+\.\d+")
CAMEO_CODE = re.compile(r"\d{2}")
# "O" is the IOB2 outside tag of the `ner` config: an entity label of that name would be ambiguous.
RESERVED_NAMES = frozenset({"O"})
# Keys a label body may carry, per section (a typo such as "alowed" must not pass silently).
_BODY_KEYS = {
    "event_types": {"description", "example", "cameo"},
    "event_roles": {"description", "example", "allowed"},
    "relations": {"description", "example", "from", "to"},
}

SECTIONS = (
    "entities",
    "quote_kinds",
    "attribution_labels",
    "event_types",
    "realis",
    "event_roles",
    "relations",
)


@dataclass(frozen=True)
class Label:
    name: str
    description: str
    example: str
    cameo: tuple[str, ...] = ()  # event types only
    allowed: tuple[str, ...] = ()  # roles: entity labels it may point to
    source: tuple[str, ...] = ()  # relations: labels it may start from


@dataclass(frozen=True)
class Taxonomy:
    version: str
    entities: tuple[Label, ...]
    quote_kinds: tuple[Label, ...]
    attribution_labels: tuple[Label, ...]  # QUOTE, CUE
    event_types: tuple[Label, ...]
    realis: tuple[Label, ...]
    event_roles: tuple[Label, ...]
    relations: tuple[Label, ...]  # speaker, cue (event roles are relations too, lower-cased)

    # Names, in schema order (the order is the ClassLabel id order: append, never reorder).
    @cached_property
    def entity_labels(self) -> list[str]:
        return [x.name for x in self.entities]

    @cached_property
    def quote_kind_names(self) -> list[str]:
        return [x.name for x in self.quote_kinds]

    @cached_property
    def event_type_names(self) -> list[str]:
        return [x.name for x in self.event_types]

    @cached_property
    def realis_names(self) -> list[str]:
        return [x.name for x in self.realis]

    @cached_property
    def role_names(self) -> list[str]:
        return [x.name for x in self.event_roles]

    @cached_property
    def quote_label(self) -> str:
        return self.attribution_labels[0].name

    @cached_property
    def cue_label(self) -> str:
        return self.attribution_labels[1].name

    def role_relation(self, role: str) -> str:
        """The Label Studio relation name of an event role."""
        return role.lower()

    @cached_property
    def relation_names(self) -> list[str]:
        """Every relation label shown in Label Studio: quote relations, then event roles."""
        return [x.name for x in self.relations] + [self.role_relation(r) for r in self.role_names]

    def role_allowed(self, role: str) -> tuple[str, ...]:
        return next(r.allowed for r in self.event_roles if r.name == role)

    @cached_property
    def speaker_allowed(self) -> tuple[str, ...]:
        return next(r.allowed for r in self.relations if r.name == "speaker")

    def cameo_of(self, event_type: str) -> tuple[str, ...]:
        return next(e.cameo for e in self.event_types if e.name == event_type)

    def sections(self) -> list[tuple[str, tuple[Label, ...]]]:
        """(section name, labels) in schema order, e.g. ("entities", (PERSON, ...))."""
        return [(s, getattr(self, s)) for s in SECTIONS]

    def section_of(self, name: str) -> str | None:
        """The section a name belongs to (the first one, in SECTIONS order), or None."""
        return next((s for s, labels in self.sections() if any(x.name == name for x in labels)), None)

    def label(self, section: str, name: str) -> Label:
        found = next((x for x in getattr(self, section) if x.name == name), None)
        if found is None:
            raise SchemaError(f"schema/taxonomy.yaml: {section} has no label {name!r}")
        return found

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the shape of taxonomy.yaml (parse_taxonomy(to_dict()) == self)."""
        def section(name: str, labels: tuple[Label, ...]) -> dict[str, Any]:
            out = {}
            for x in labels:
                d: dict[str, Any] = {"description": x.description, "example": x.example}
                if x.cameo:
                    d["cameo"] = list(x.cameo)
                if x.source:
                    d["from"] = list(x.source)
                if x.allowed:  # relations spell it "to" in the YAML, roles "allowed"
                    d["to" if name == "relations" else "allowed"] = list(x.allowed)
                out[x.name] = d
            return out

        return {"schema_version": self.version,
                **{s: section(s, getattr(self, s)) for s in SECTIONS}}


def _labels(section: str, raw: Any, name_re: re.Pattern[str]) -> tuple[Label, ...]:
    if not isinstance(raw, dict) or not raw:
        raise SchemaError(f"schema/taxonomy.yaml: section '{section}' must be a non-empty mapping")
    labels = []
    for name, body in raw.items():
        where = f"schema/taxonomy.yaml: {section}.{name}"
        if not isinstance(name, str) or not name_re.fullmatch(name):
            raise SchemaError(f"{where!r}: invalid name (allowed: {name_re.pattern})")
        if name in RESERVED_NAMES:
            raise SchemaError(f"{where}: the name {name!r} is reserved (IOB2 outside tag)")
        if not isinstance(body, dict):
            raise SchemaError(f"{where}: must be a mapping with description and example")
        unknown = set(body) - _BODY_KEYS.get(section, {"description", "example"})
        if unknown:
            raise SchemaError(f"{where}: unknown keys {sorted(map(str, unknown))}")
        for key in ("description", "example"):
            value = body.get(key)
            if not isinstance(value, str) or not PLAIN_TEXT.fullmatch(value):
                raise SchemaError(
                    f"{where}: {key} must be plain text (allowed: {PLAIN_TEXT.pattern}), got {value!r}"
                )
        cameo = tuple(str(c) for c in _str_list(where, "cameo", body.get("cameo", [])))
        if any(not CAMEO_CODE.fullmatch(c) for c in cameo):
            raise SchemaError(f"{where}: cameo codes are two-digit strings, got {cameo!r}")
        if section == "event_types" and not cameo:
            raise SchemaError(f"{where}: an event type needs its CAMEO root code(s) in 'cameo'")
        allowed = tuple(_str_list(where, "allowed/to", body.get("allowed", body.get("to", []))))
        source = tuple(_str_list(where, "from", body.get("from", [])))
        labels.append(Label(name, body["description"], body["example"], cameo, allowed, source))
    return tuple(labels)


def _str_list(where: str, key: str, value: Any) -> list[str]:
    # YAML turns an unquoted 02 into the int 2: CAMEO codes must be quoted strings.
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SchemaError(f"{where}: {key} must be a list of quoted strings, got {value!r}")
    if len(set(value)) != len(value):
        raise SchemaError(f"{where}: {key} lists a value twice: {value!r}")
    return value


class _UniqueKeyLoader(yaml.SafeLoader):
    """safe_load silently keeps the last of two equal keys: a duplicated label must fail."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise SchemaError(
                f"schema/taxonomy.yaml line {key_node.start_mark.line + 1}: duplicate key {key!r}"
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def parse_taxonomy_text(text: str) -> Taxonomy:
    """Parse the YAML text of a taxonomy (duplicate keys are an error)."""
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise SchemaError(f"schema/taxonomy.yaml: invalid YAML ({exc})") from exc
    return parse_taxonomy(data)


def parse_taxonomy(data: Any) -> Taxonomy:
    if not isinstance(data, dict):
        raise SchemaError("schema/taxonomy.yaml: top level must be a mapping")
    unknown = set(data) - {"schema_version", *SECTIONS}
    if unknown:
        raise SchemaError(f"schema/taxonomy.yaml: unknown sections {sorted(unknown)}")
    version = str(data.get("schema_version", ""))
    if not SEMVER.fullmatch(version):
        raise SchemaError(f"schema/taxonomy.yaml: schema_version must be X.Y.Z, got {version!r}")
    sections = {
        s: _labels(s, data.get(s), RELATION_NAME if s == "relations" else LABEL_NAME)
        for s in SECTIONS
    }
    tax = Taxonomy(version=version, **sections)
    _check_references(tax)
    return tax


def _check_references(tax: Taxonomy) -> None:
    if len(tax.attribution_labels) != 2:
        raise SchemaError("schema/taxonomy.yaml: attribution_labels must be exactly QUOTE and CUE")
    names = (
        tax.entity_labels
        + [x.name for x in tax.attribution_labels]
        + tax.event_type_names
    )
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SchemaError(f"schema/taxonomy.yaml: span label names used twice: {sorted(dupes)}")
    span_labels = set(names)
    for role in tax.event_roles:
        bad = set(role.allowed) - set(tax.entity_labels)
        if not role.allowed or bad:
            raise SchemaError(
                f"schema/taxonomy.yaml: event_roles.{role.name}.allowed must list entity labels; "
                f"unknown: {sorted(bad)}"
            )
    for rel in tax.relations:
        bad = (set(rel.allowed) | set(rel.source)) - span_labels
        if not rel.allowed or not rel.source or bad:
            raise SchemaError(
                f"schema/taxonomy.yaml: relations.{rel.name} needs from/to span labels; "
                f"unknown: {sorted(bad)}"
            )
    by_name = {rel.name: rel for rel in tax.relations}
    for name, want_to in (("speaker", set(tax.entity_labels)), ("cue", {tax.cue_label})):
        rel = by_name.get(name)
        if rel is None:
            continue  # reported below
        if set(rel.source) != {tax.quote_label} or not set(rel.allowed) <= want_to:
            raise SchemaError(
                f"schema/taxonomy.yaml: relations.{name} must go from [{tax.quote_label}] to "
                f"{sorted(want_to)}"
            )
    rel_names = tax.relation_names
    if len(set(rel_names)) != len(rel_names):
        raise SchemaError("schema/taxonomy.yaml: a relation name collides with an event role")
    for required in ("speaker", "cue"):
        if required not in rel_names:
            raise SchemaError(f"schema/taxonomy.yaml: relations.{required} is required")


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    if path is None:
        from .paths import Repo

        path = Repo.find().taxonomy_file
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{path}: cannot read taxonomy ({exc})") from exc
    try:
        return parse_taxonomy_text(text)
    except SchemaError as exc:
        raise SchemaError(str(exc).replace("schema/taxonomy.yaml", str(path), 1)) from None
