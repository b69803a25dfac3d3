"""The Label Studio labeling config, built as an XML tree from the taxonomy.

Layout, top to bottom (what a person sees): the article title, a one-line how-to, the three label
groups (entities, quote parts, event triggers) each under a small heading, the text, then the
per-region choices that appear only when a matching region is selected (quote kind for a QUOTE
region, realis for an event region), and the relation names.

Names of controls are part of the contract with the Label Studio converter (pull/push) and are
spelled only here: see LS_* below.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from .taxonomy import Label, Taxonomy

# Control/object names in the config (and in every exported result's from_name/to_name).
LS_TEXT = "text"
LS_ENTITY = "entity"
LS_ATTRIBUTION = "attribution"
LS_EVENT = "event"
LS_QUOTE_KIND = "quote_kind"
LS_REALIS = "realis"
# Task data keys.
TASK_KEYS = ("text", "title", "doc_id", "text_sha256")

HOWTO = (
    "Pick a label (click it or press its key), then drag over the text. "
    "To link a quote or an event: select its region, click Create Relation (Alt+R), click the "
    "speaker, cue or argument region, then name the relation in the Relations tab."
)

# Colour families per group so a person tells the layers apart at a glance: cool colours for
# entities, warm orange/amber for quote parts, reds/purples for events. Distinct within a group.
ENTITY_COLOURS = (
    "#2563EB", "#0D9488", "#16A34A", "#0284C7", "#65A30D", "#0891B2", "#4F46E5", "#059669",
    "#1E40AF", "#15803D",
)
ATTRIBUTION_COLOURS = ("#F97316", "#CA8A04", "#EA580C", "#D97706")
EVENT_COLOURS = (
    "#DC2626", "#DB2777", "#9333EA", "#C026D3", "#E11D48", "#B45309", "#7C3AED", "#BE185D",
    "#A21CAF", "#B91C1C", "#6D28D9", "#F43F5E", "#9D174D", "#86198F", "#C2410C", "#7E22CE",
)
RELATION_COLOURS = ATTRIBUTION_COLOURS[:2] + ("#7C3AED", "#9333EA", "#A21CAF", "#6D28D9",
                                              "#C026D3", "#86198F")

# Keys Label Studio already uses on the text labeling page (u: unselect region); modifier
# combinations (Alt+R, Ctrl+Enter, ...) do not clash with plain letters.
RESERVED_KEYS = frozenset({"u"})
DIGITS = "1234567890"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _colour(palette: tuple[str, ...], i: int) -> str:
    return palette[i % len(palette)]


def assign_hotkeys(tax: Taxonomy) -> dict[tuple[str, str], str]:
    """(control name, label) → hotkey. Entities get digits in order; quote parts and event types
    get a mnemonic letter (first free letter of the name), so appending a label never moves an
    existing key."""
    keys: dict[tuple[str, str], str] = {}
    taken = set(RESERVED_KEYS)
    lettered = [(LS_ATTRIBUTION, x.name) for x in tax.attribution_labels]
    lettered += [(LS_EVENT, x) for x in tax.event_type_names]
    for i, name in enumerate(tax.entity_labels):
        if i < len(DIGITS):
            keys[(LS_ENTITY, name)] = DIGITS[i]
            taken.add(DIGITS[i])
        else:
            lettered.append((LS_ENTITY, name))
    for control, name in lettered:
        candidates = [c for c in name.lower() if c in LETTERS] + list(LETTERS)
        key = next((c for c in candidates if c not in taken), None)
        if key is not None:
            keys[(control, name)] = key
            taken.add(key)
    return keys


def _hint(x: Label) -> str:
    return f"{x.description} Example: {x.example}"


def _labels(parent: ET.Element, name: str, labels: Iterable[Label], palette: tuple[str, ...],
            keys: dict[tuple[str, str], str]) -> None:
    group = ET.SubElement(parent, "Labels", name=name, toName=LS_TEXT, showInline="true")
    for i, x in enumerate(labels):
        attrs = {"value": x.name, "background": _colour(palette, i), "hint": _hint(x)}
        if (name, x.name) in keys:
            attrs["hotkey"] = keys[(name, x.name)]
        ET.SubElement(group, "Label", attrs)


def _per_region_choices(parent: ET.Element, name: str, title: str, labels: Iterable[Label],
                        when_tag: str, when_label: str | None) -> None:
    # visibleWhen sits on the Choices itself (not only on the wrapping View): Label Studio's
    # `required` check then asks for a value only on regions of that tag/label.
    when = {"visibleWhen": "region-selected", "whenTagName": when_tag}
    if when_label:
        when["whenLabelValue"] = when_label
    box = ET.SubElement(parent, "View", when)
    ET.SubElement(box, "Header", value=title, size="6")
    choices = ET.SubElement(
        box,
        "Choices",
        {
            "name": name,
            "toName": LS_TEXT,
            "perRegion": "true",
            "choice": "single-radio",
            "showInline": "true",
            "required": "true",
            "requiredMessage": f"Choose the {title.lower()} of every selected region.",
            **when,
        },
    )
    for x in labels:
        ET.SubElement(choices, "Choice", value=x.name, hint=_hint(x))


def labeling_config_tree(tax: Taxonomy) -> ET.Element:
    keys = assign_hotkeys(tax)
    root = ET.Element("View")
    ET.SubElement(root, "Header", value="$title")
    ET.SubElement(root, "Header", value=HOWTO, size="6", underline="false")

    ET.SubElement(root, "Header", value="Entities: names, places, dates, titles", size="5")
    _labels(root, LS_ENTITY, tax.entities, ENTITY_COLOURS, keys)
    ET.SubElement(root, "Header", value="Quotes: the quoted content and its cue", size="5")
    _labels(root, LS_ATTRIBUTION, tax.attribution_labels, ATTRIBUTION_COLOURS, keys)
    ET.SubElement(root, "Header", value="Events: the trigger word", size="5")
    _labels(root, LS_EVENT, tax.event_types, EVENT_COLOURS, keys)

    ET.SubElement(root, "Text", name=LS_TEXT, value="$" + LS_TEXT)

    _per_region_choices(root, LS_QUOTE_KIND, "Quote kind", tax.quote_kinds, LS_ATTRIBUTION,
                        tax.quote_label)
    _per_region_choices(root, LS_REALIS, "Realis", tax.realis, LS_EVENT, None)

    relations = ET.SubElement(root, "Relations", choice="single")
    quote_rel = [(x.name, x.description) for x in tax.relations]
    role_rel = [(tax.role_relation(x.name), x.description) for x in tax.event_roles]
    for i, (name, _desc) in enumerate(quote_rel + role_rel):
        ET.SubElement(relations, "Relation", value=name, background=_colour(RELATION_COLOURS, i))
    return root


def labeling_config_xml(tax: Taxonomy, header: str | None = None) -> str:
    """The config as text. The header comment goes before the root element, where Label
    Studio's parsers (lxml on the server, DOMParser `children[0]` in the browser) ignore it."""
    root = labeling_config_tree(tax)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    if header is None:
        return body + "\n"
    comment = ET.tostring(ET.Comment(f" {header} "), encoding="unicode")
    return comment + "\n" + body + "\n"


__all__ = [
    "LS_ATTRIBUTION",
    "LS_ENTITY",
    "LS_EVENT",
    "LS_QUOTE_KIND",
    "LS_REALIS",
    "LS_TEXT",
    "TASK_KEYS",
    "assign_hotkeys",
    "labeling_config_tree",
    "labeling_config_xml",
]
