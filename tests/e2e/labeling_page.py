"""A page object for Label Studio 1.23's labeling page, driven the way a person drives it.

Everything goes through the mouse and the visible controls: the login form, clicks on label
chips, real mouse drags over the text (LS reads the browser selection on a bubbling mouseup),
the region list, the "Create Relation" button, the relation label picker, per-region choices,
Submit/Update and the region delete button. Nothing is injected through LS's JS store or API.

Offsets given to this helper are Python ``str`` indices (code points) into the task text, the
same unit as ``Document.text`` and ``annotations/``. The browser works in UTF-16 code units per
rendered line, so `_line_position` converts; the DOM lines are checked against the text first,
so a rendering difference fails loudly instead of silently selecting the wrong characters.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urlparse

from page_scripts import JS_BAR_BOTTOM, JS_CHAR_BOX, JS_ON_TEXT, JS_REGIONS, JS_SCROLL_TO_LINES
from playwright.sync_api import Page, expect


@dataclass(frozen=True)
class Region:
    """A region as displayed: LS's running number, its label and its code point offsets."""

    index: int
    label: str
    start: int
    end: int
    css: str  # the highlight class shared by the region's spans: htx-highlight-<id>-<index>

    @property
    def id(self) -> str:
        """Label Studio's region id (the `id` of its result items; our entity/quote/event id)."""
        return self.css.removeprefix("htx-highlight-").rsplit("-", 1)[0]


def _line_position(text: str, offset: int) -> tuple[int, int]:
    """Code point offset → (rendered line number, UTF-16 offset within that line)."""
    before = text[:offset]
    line = before.count("\n")
    column = before[before.rfind("\n") + 1 :]
    return line, len(column.encode("utf-16-le")) // 2


class LabelingPage:
    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.text = ""

    # --- navigation ------------------------------------------------------------------------
    def login(self, email: str, password: str) -> None:
        self.page.goto(f"{self.base_url}/user/login/")
        if "/user/login" not in self.page.url:
            return  # the session's browser is already logged in: LS redirected away
        self.page.fill("input[name=email]", email)
        self.page.fill("input[name=password]", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(lambda url: "/user/login" not in url, timeout=30_000)

    def open_task(self, project_id: int, task_id: int, text: str) -> None:
        """Open a task's labeling page and check the page renders exactly `text`.

        Under load the data manager sometimes mounts the editor before the task's data arrives
        and shows no lines; a person would reload, so the page is reloaded once before judging."""
        self.text = text

        def rendered() -> list[str]:
            return self.page.evaluate(
                "() => [...document.querySelectorAll('.lsf-richtext__line')]"
                ".map(l => l.textContent)"
            )

        for attempt in range(2):
            self.page.goto(f"{self.base_url}/projects/{project_id}/data?task={task_id}")
            self.page.wait_for_selector(".lsf-richtext__line", timeout=60_000)
            self.page.locator(".lsf-label").first.wait_for(timeout=30_000)
            # The page must show the task text line for line (LS renders each "\n" as a line).
            # The editor may re-mount once after loading the task, so poll before judging.
            try:
                self._wait_for(lambda: "\n".join(rendered()) == text, timeout=30)
                return
            except AssertionError:
                if attempt == 0:
                    continue
        shown = rendered()
        assert "\n".join(shown) == text, (
            f"task {task_id}: the labeling page renders {shown!r}, not the task text"
        )

    # --- regions -----------------------------------------------------------------------------
    def regions(self) -> list[Region]:
        raw = self.page.evaluate(JS_REGIONS)
        return sorted(
            (Region(r["index"], r["label"], r["start"], r["end"], r["cls"]) for r in raw),
            key=lambda r: r.index,
        )

    def _char_box(self, offset: int, side: str) -> dict[str, float]:
        line, unit = _line_position(self.text, offset)
        box = self.page.evaluate(JS_CHAR_BOX, [line, unit, side])
        assert box is not None, f"offset {offset} ({side}) is not on the rendered page"
        return box

    def drag_select(self, start: int, end: int) -> None:
        """Select text[start:end] with a real mouse drag, from the first to the last character."""
        assert 0 <= start < end <= len(self.text), (start, end)
        assert self.text[start] not in "\n" and self.text[end - 1] != "\n", (
            "a selection cannot start or end on a line break"
        )
        # Scroll like a person would, so that the whole span is on screen before the drag.
        first, last = _line_position(self.text, start)[0], _line_position(self.text, end)[0]
        bar_bottom = self.page.evaluate(JS_BAR_BOTTOM)
        self.page.evaluate(JS_SCROLL_TO_LINES, [first, last, bar_bottom])
        a = self._char_box(start, "start")
        b = self._char_box(end, "end")
        height = self.page.viewport_size["height"] if self.page.viewport_size else 10**6
        assert 0 <= a["top"] and b["bottom"] <= height, (
            f"span [{start}:{end}] does not fit on one screen; the page object cannot drag it"
        )
        # Just inside the first character's left edge and the last one's right edge: the caret
        # lands before the first and after the last character.
        x0, y0 = a["left"] + 1, (a["top"] + a["bottom"]) / 2
        x1, y1 = b["right"] - 1, (b["top"] + b["bottom"]) / 2
        for x, y in ((x0, y0), (x1, y1)):
            assert self.page.evaluate(JS_ON_TEXT, [x, y]), (
                f"span [{start}:{end}]: the point ({x:.0f}, {y:.0f}) is not on the text (under "
                f"the tool bar, whose bottom is at {bar_bottom:.0f}?)"
            )
        mouse = self.page.mouse
        mouse.move(x0, y0)
        mouse.down()
        mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
        mouse.move(x1, y1, steps=4)
        mouse.up()

    def label_chip(self, label: str):
        exact = re.compile(rf"^{re.escape(label)}$")
        text = self.page.locator(".lsf-label__text", has_text=exact)
        return self.page.locator(".lsf-label").filter(has=text).first

    def add_region(self, label: str, start: int, end: int) -> Region:
        """Pick `label` in the chip bar, drag over text[start:end]; return the new region."""
        self.unselect()
        before = {r.css for r in self.regions()}
        chip = self.label_chip(label)
        chip.click()
        expect(chip).to_have_class(_has("lsf-label_selected"))
        self.drag_select(start, end)
        new = self._wait_for(lambda: [r for r in self.regions() if r.css not in before])
        assert len(new) == 1, f"one drag made {len(new)} regions: {new}"
        region = new[0]
        assert (region.label, region.start, region.end) == (label, start, end), (
            f"dragged {label} over [{start}:{end}] {self.text[start:end]!r}, "
            f"the page made {region} {self.text[region.start:region.end]!r}"
        )
        return region

    def find(self, label: str, start: int, end: int) -> Region:
        """The one region with this label and span (waits: a reopened task renders its
        annotation's highlights a moment after the text)."""
        def hits() -> list[Region]:
            return [r for r in self.regions() if (r.label, r.start, r.end) == (label, start, end)]

        try:
            found = self._wait_for(hits)
        except AssertionError:
            found = []
        assert len(found) == 1, f"{label} [{start}:{end}] is on the page {len(found)} times"
        return found[0]

    def select_region(self, region: Region) -> None:
        """Click the region's entry in the Regions list (a click on nested highlights in the
        text would be ambiguous)."""
        # The Info panel names the selected region. Clicking an entry that is already selected
        # would unselect it, so only click when another (or no) region is selected.
        head = self.page.locator(".lsf-info .lsf-detailed-region__head")
        if head.count() == 1 and region.id in head.inner_text():
            return
        self.open_side_tab("Regions")
        item = self._outliner_item(region)
        if item.count():
            item.click()
        else:
            # Long region lists are virtualised (only visible entries exist): click the
            # region in the text instead (Playwright scrolls it into view first).
            self.page.locator(f".{region.css}").last.click()
        expect(head).to_contain_text(region.id)

    def unselect(self) -> None:
        """Drop the region selection: clicking a label chip while a region is selected would
        relabel that region instead of arming the label for a new one."""
        selected = self.page.locator(".lsf-info .lsf-detailed-region")
        if selected.count() == 0:
            return
        self.page.keyboard.press("Escape")
        if selected.count():
            self.page.keyboard.press("u")  # LS's own "unselect region" hotkey
        expect(selected).to_have_count(0)

    def set_choice(self, region: Region, value: str) -> None:
        """Tick a per-region choice (quote kind, realis) shown while `region` is selected."""
        self.select_region(region)
        box = self.page.locator("label.lsf-choice__checkbox:visible").filter(
            has=self.page.locator(f"input[name='{value}']")
        )
        expect(box).to_have_count(1)
        box.click()
        expect(box.locator("input")).to_be_checked()
        self.unselect()

    def change_label(self, region: Region, label: str) -> Region:
        """Relabel a region: select it, click another chip of the same label group."""
        self.select_region(region)
        self.label_chip(label).click()
        changed = self._wait_for(
            lambda: next((r for r in self.regions() if (r.id, r.label) == (region.id, label)),
                         None)
        )
        self.unselect()
        return changed

    def delete_region(self, region: Region) -> None:
        self.select_region(region)
        self.page.get_by_label("Delete selected region").click()
        self._wait_for(lambda: region.css not in {r.css for r in self.regions()} or None)

    # --- relations -------------------------------------------------------------------------
    def add_relation(self, source: Region, target: Region, name: str) -> None:
        """Link source → target with the "Create Relation" button, then label it `name`."""
        self.select_region(source)
        self.page.get_by_label("Create Relation").click()
        # In linking mode the next region clicked becomes the target.
        target_el = self.page.locator(f".{target.css}").first
        target_el.click()
        self.open_side_tab("Relations")
        item = self._relation_item(source, target)
        item.hover()
        item.get_by_label("Show Relation Labels").click()
        item.locator("[data-testid^=select-trigger]").click()
        option = self.page.locator("[data-slot=command-item]").filter(
            has=self.page.get_by_text(name, exact=True)
        )
        option.click()
        self.page.keyboard.press("Escape")
        expect(item.locator("[data-testid=select-display-value]")).to_have_text(name)
        self.open_side_tab("Regions")

    def _relation_item(self, source: Region, target: Region):
        items = self.page.locator(".lsf-relations__item")
        want = [str(source.index), str(target.index)]
        return self._wait_for(
            lambda: next(
                (
                    items.nth(i)
                    for i in range(items.count())
                    if items.nth(i).locator(".lsf-detailed-region__index_value").all_text_contents()
                    == want
                ),
                None,
            )
        )

    # --- panels, submit ----------------------------------------------------------------------
    def open_side_tab(self, name: str) -> None:
        # The side panels keep hidden copies of their tabs (drag and drop): click the visible one.
        self.page.locator(".lsf-panel-tabs__tab:visible").filter(
            has_text=re.compile(rf"^\s*{name}\s*$")
        ).first.click()

    def _outliner_item(self, region: Region):
        return self.page.locator(".lsf-outliner-item").filter(
            has=self.page.locator(".lsf-outliner-item__index",
                                  has_text=re.compile(rf"^{region.index}$"))
        ).filter(has=self.page.get_by_text(region.label, exact=True)).first

    def submit(self) -> None:
        """Submit (first pass) or Update (an existing annotation) and wait for LS to store it."""
        button = self.page.locator(
            "[data-testid=bottombar-submit-button], [data-testid=bottombar-update-button]"
        ).first
        with self.page.expect_response(_is_annotation_save) as info:
            button.click()
        response = info.value
        assert response.ok, (
            f"saving the annotation failed: HTTP {response.status} {response.text()}"
        )

    def delete_annotation(self) -> None:
        """Delete the open annotation through its tab's menu (Delete Annotation, confirm)."""
        tab = self.page.locator(".lsf-annotation-button[data-annotation-id]").first
        tab.locator(".lsf-annotation-button__trigger").click()
        self.page.get_by_text("Delete Annotation", exact=True).click()
        with self.page.expect_response(
            lambda r: r.request.method == "DELETE"
            and _UPDATE_PATH.fullmatch(urlparse(r.url).path) is not None
        ) as info:
            self.page.locator("[data-testid=dialog-ok-button]").click()
        assert info.value.ok, f"deleting the annotation failed: HTTP {info.value.status}"

    def _wait_for(self, probe, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for the labeling page ({probe})")
            self.page.wait_for_timeout(50)


def _is_annotation_save(response) -> bool:
    # Submit is POST /api/tasks/<id>/annotations, Update is PATCH /api/annotations/<id>;
    # drafts (autosaved while labeling) go to .../drafts and do not count.
    path = urlparse(response.url).path
    method = response.request.method
    return (method == "POST" and _SUBMIT_PATH.fullmatch(path) is not None) or (
        method == "PATCH" and _UPDATE_PATH.fullmatch(path) is not None
    )


_SUBMIT_PATH = re.compile(r"/api/tasks/\d+/annotations/?")
_UPDATE_PATH = re.compile(r"/api/annotations/\d+/?")


def _has(css_class: str):
    return re.compile(rf"(^|\s){re.escape(css_class)}(\s|$)")
