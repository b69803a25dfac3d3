"""The labeling page's layout as generated (no server): what the browser review asked for.

- every control a person clicks (the three label groups, the quote-kind and realis choices) sits
  in one sticky tool bar BEFORE the text, so a region at the bottom of a long article still shows
  its choices on screen (checked in a real browser by tests/e2e and by hand, see the report);
- `visibleWhen` is on each per-region <Choices> itself (with it only on the wrapping View,
  Label Studio's `required` check fires for regions of other labels);
- the how-to is one short line and every heading is small;
- entity colours are clearly different hues (GPE, ORG and TITLE were all greens/teals), and each
  group keeps its own family of hues.
"""

from __future__ import annotations

import colorsys
import re
from pathlib import Path

import pytest

from peacetalks.labeling import (
    HOWTO,
    LS_ATTRIBUTION,
    LS_ENTITY,
    LS_EVENT,
    LS_QUOTE_KIND,
    LS_REALIS,
    LS_TEXT,
    labeling_config_tree,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def root(tax):
    return labeling_config_tree(tax)


def _style(el) -> dict[str, str]:
    pairs = (p.split(":", 1) for p in (el.get("style") or "").split(";") if ":" in p)
    return {k.strip(): v.strip() for k, v in pairs}


def _sticky_bars(root):
    return [v for v in root.iter("View") if _style(v).get("position") == "sticky"]


def test_one_sticky_bar_before_the_text_holds_every_control(root):
    bars = _sticky_bars(root)
    assert len(bars) == 1
    bar = bars[0]
    style = _style(bar)
    assert style["top"] == "0" and int(style["z-index"]) > 0 and style["background"]
    inside = {el.get("name") for el in bar.iter() if el.tag in ("Labels", "Choices")}
    assert inside == {LS_ENTITY, LS_ATTRIBUTION, LS_EVENT, LS_QUOTE_KIND, LS_REALIS}
    # Document order: the bar comes before the text, the text is not inside the bar.
    order = [el for el in root.iter() if el is bar or el.tag == "Text"]
    assert [el.tag for el in order] == ["View", "Text"]
    assert order[1].get("name") == LS_TEXT
    assert not [el for el in bar.iter("Text")]


def test_per_region_choices_carry_visible_when_themselves(root, tax):
    expected = {
        LS_QUOTE_KIND: {"visibleWhen": "region-selected", "whenTagName": LS_ATTRIBUTION,
                        "whenLabelValue": tax.quote_label},
        LS_REALIS: {"visibleWhen": "region-selected", "whenTagName": LS_EVENT},
    }
    for name, when in expected.items():
        choices = root.find(f".//Choices[@name='{name}']")
        assert {k: choices.get(k) for k in when} == when, name
        assert choices.get("perRegion") == "true" and choices.get("required") == "true"
    assert root.find(f".//Choices[@name='{LS_REALIS}']").get("whenLabelValue") is None


def test_howto_is_one_short_line_and_headings_are_small(root):
    assert "\n" not in HOWTO and len(HOWTO) <= 100
    headers = list(root.iter("Header"))
    assert headers[0].get("value") == "$title" and headers[0].get("style") is None
    assert headers[1].get("value") == HOWTO
    for h in headers[1:]:
        size = _style(h).get("font-size", "")
        assert re.fullmatch(r"\d+px", size) and int(size[:-2]) <= 13, h.get("value")


def _hsl(colour: str) -> tuple[float, float]:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _light, sat = colorsys.rgb_to_hls(r, g, b)
    return hue * 360, sat


def _hue_gap(a: float, b: float) -> float:
    d = abs(a - b) % 360
    return min(d, 360 - d)


def _colours(root, group: str) -> dict[str, str]:
    return {x.get("value"): x.get("background") for x in root.find(f".//Labels[@name='{group}']")}


def test_entity_colours_are_clearly_different_hues(root, tax):
    colours = _colours(root, LS_ENTITY)
    assert list(colours) == tax.entity_labels
    hues = {name: _hsl(c) for name, c in colours.items()}
    greys = [n for n, (_h, s) in hues.items() if s < 0.25]
    assert len(greys) <= 1, f"more than one grey entity colour: {greys}"
    coloured = [(n, h) for n, (h, s) in hues.items() if s >= 0.25]
    for i, (a, ha) in enumerate(coloured):
        for b, hb in coloured[i + 1 :]:
            assert _hue_gap(ha, hb) >= 15, f"{a} {colours[a]} and {b} {colours[b]} look alike"
    # The three the review found indistinguishable (all greens/teals) are far apart now.
    for a, b in (("GPE", "ORG"), ("GPE", "TITLE"), ("ORG", "TITLE")):
        assert _hue_gap(hues[a][0], hues[b][0]) >= 45, (a, b)


def test_each_group_keeps_its_own_family_of_hues(root):
    # entities: yellow to indigo (or one grey); quote parts: oranges/browns; events: purples,
    # magentas, pinks and reds. Disjoint ranges, so a highlight's group shows in its colour.
    def in_family(group: str, ok) -> None:
        for name, c in _colours(root, group).items():
            hue, sat = _hsl(c)
            assert ok(hue, sat), f"{group} label {name} {c} (hue {hue:.0f}) is off its family"

    in_family(LS_ENTITY, lambda h, s: s < 0.25 or 40 <= h <= 250)
    in_family(LS_ATTRIBUTION, lambda h, s: 15 <= h <= 35)
    in_family(LS_EVENT, lambda h, s: h >= 265 or h <= 5)
