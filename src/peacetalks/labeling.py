"""The Label Studio labeling config, built as an XML tree from the taxonomy.

Layout, top to bottom (what a person sees): the article title, a one-line how-to, then a sticky
tool bar and the text. The tool bar holds the three label groups (entities, quote parts, event
triggers), each behind a small heading, and the per-region choices that appear only while a
matching region is selected (quote kind for a QUOTE region, realis for an event region). It is
sticky (stays at the top of the scrolling labeling area) because in a long article a region near
the bottom would otherwise show its choices below the text, off-screen. The relation names
follow the text (Label Studio lists them in its Relations panel).

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

# One short line: the full manual is annotations/GUIDELINES.md; the page only reminds.
HOWTO = "Pick a label, drag over the text. To link: select a region, Alt+R, click the other one."

# Inline CSS (Label Studio's `style` attribute). The tool bar sticks to the top of the scrolling
# labeling area; the background var is LS's own theme colour, so dark mode keeps it opaque.
STICKY_STYLE = (
    "position: sticky; top: 0; z-index: 10; "
    "background: var(--color-neutral-background, white); "
    "border-bottom: 1px solid #d4d4d8; padding: 6px 0 4px"
)
# LS gives every Labels/Choices block a 1em (14 px) margin above and below; inside a flex row
# those margins no longer collapse, so the row takes 12 px back on each side to stay compact.
ROW_STYLE = "display: flex; align-items: baseline; gap: 8px; margin: -12px 0"
HEADING_STYLE = "font-size: 12px; font-weight: 600; margin: 0; min-width: 64px"
HOWTO_STYLE = "font-size: 12px; font-weight: 400; margin: 0 0 4px; color: #52525b"

# Hues, checked on the page (highlights are these colours at 30 % opacity, so only clearly
# different hues stay apart): entities get one distinct hue each (blue, cyan, green, lime,
# indigo, grey, dark teal, yellow), so that GPE, ORG and TITLE never look alike; quote parts are
# orange (QUOTE) and brown (CUE); event triggers are reds, pinks, magentas and purples, a family
# no entity or quote part uses. The most frequent event (CONSULT, third) is a plain red, apart
# from the indigo of NORP.
ENTITY_COLOURS = (
    "#2563EB", "#0891B2", "#16A34A", "#84CC16", "#4F46E5", "#64748B", "#0F766E", "#EAB308",
    "#0EA5E9", "#A3A3A3",
)
ATTRIBUTION_COLOURS = ("#F97316", "#92400E", "#FB923C", "#78350F")
EVENT_COLOURS = (
    "#DB2777", "#C026D3", "#DC2626", "#9333EA", "#E11D48", "#F472B6", "#F43F5E", "#BE185D",
    "#A21CAF", "#EF4444", "#7E22CE", "#B91C1C", "#9D174D", "#86198F", "#D946EF", "#FB7185",
)
# Arrows: quote relations in the quote colours, event roles in event colours.
RELATION_COLOURS = ATTRIBUTION_COLOURS[:2] + ("#9333EA", "#DC2626", "#C026D3", "#BE185D",
                                              "#7E22CE", "#A21CAF")

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


def _row(parent: ET.Element, heading: str) -> ET.Element:
    """A one-line row: a small heading, then the controls appended to the returned element."""
    row = ET.SubElement(parent, "View", style=ROW_STYLE)
    ET.SubElement(row, "Header", value=heading, size="6", style=HEADING_STYLE)
    return row


def _labels(parent: ET.Element, heading: str, name: str, labels: Iterable[Label],
            palette: tuple[str, ...], keys: dict[tuple[str, str], str]) -> None:
    group = ET.SubElement(_row(parent, heading), "Labels", name=name, toName=LS_TEXT,
                          showInline="true")
    for i, x in enumerate(labels):
        attrs = {"value": x.name, "background": _colour(palette, i), "hint": _hint(x)}
        if (name, x.name) in keys:
            attrs["hotkey"] = keys[(name, x.name)]
        ET.SubElement(group, "Label", attrs)


def _per_region_choices(parent: ET.Element, name: str, title: str, labels: Iterable[Label],
                        when_tag: str, when_label: str | None) -> None:
    # visibleWhen sits on the Choices itself (not only on the wrapping View): Label Studio's
    # `required` check then asks for a value only on regions of that tag/label (with it on the
    # View alone, submitting an ORG region fails with "quote_kind is required").
    when = {"visibleWhen": "region-selected", "whenTagName": when_tag}
    if when_label:
        when["whenLabelValue"] = when_label
    box = ET.SubElement(parent, "View", {**when, "style": ROW_STYLE})
    ET.SubElement(box, "Header", value=title, size="6", style=HEADING_STYLE)
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
    ET.SubElement(root, "Header", value=HOWTO, size="6", style=HOWTO_STYLE)

    # Everything a person clicks while labeling, kept on screen however far the text scrolls.
    bar = ET.SubElement(root, "View", style=STICKY_STYLE)
    _labels(bar, "Entities", LS_ENTITY, tax.entities, ENTITY_COLOURS, keys)
    _labels(bar, "Quotes", LS_ATTRIBUTION, tax.attribution_labels, ATTRIBUTION_COLOURS, keys)
    _labels(bar, "Events", LS_EVENT, tax.event_types, EVENT_COLOURS, keys)
    _per_region_choices(bar, LS_QUOTE_KIND, "Quote kind", tax.quote_kinds, LS_ATTRIBUTION,
                        tax.quote_label)
    _per_region_choices(bar, LS_REALIS, "Realis", tax.realis, LS_EVENT, None)

    ET.SubElement(root, "Text", name=LS_TEXT, value="$" + LS_TEXT)

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
