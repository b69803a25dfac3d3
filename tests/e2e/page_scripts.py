"""JavaScript that the labeling page object (labeling_page.py) runs in Label Studio's page:
where characters sit on screen, scrolling lines into view, and reading the rendered regions.
Read-only probes and scrolling only: nothing here edits an annotation.
"""

# Where a code unit offset of one rendered line sits on screen. `side` "start" measures the
# character AFTER the caret position, "end" the character BEFORE it (surrogate pairs are kept
# whole: a Range must not split one). Highlights split a line into several text nodes, so the
# walk counts code units across all of them.
JS_CHAR_BOX = """
([line, off, side]) => {
  const el = document.querySelectorAll('.lsf-richtext__line')[line];
  if (!el) return null;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node, acc = 0;
  while ((node = walker.nextNode())) {
    const len = node.data.length;
    const inside = side === 'start' ? off < acc + len : (off > acc && off <= acc + len);
    if (inside) {
      const o = off - acc;
      const r = document.createRange();
      if (side === 'start') {
        const c = node.data.charCodeAt(o);
        r.setStart(node, o);
        r.setEnd(node, o + (c >= 0xd800 && c <= 0xdbff ? 2 : 1));
      } else {
        const c = node.data.charCodeAt(o - 1);
        r.setStart(node, o - (c >= 0xdc00 && c <= 0xdfff ? 2 : 1));
        r.setEnd(node, o);
      }
      const rects = r.getClientRects();
      const b = side === 'start' ? rects[0] : rects[rects.length - 1];
      return {left: b.left, right: b.right, top: b.top, bottom: b.bottom};
    }
    acc += len;
  }
  return null;
}
"""

# The labeling config keeps its label groups and per-region choices in a sticky tool bar above
# the text: text scrolled under it is not clickable. Its bottom edge (0 without a bar) is the top
# of the usable text area.
JS_BAR_BOTTOM = """
() => {
  const labels = document.querySelector('.lsf-labels');
  let el = labels && labels.parentElement;
  while (el && getComputedStyle(el).position !== 'sticky') el = el.parentElement;
  return el ? el.getBoundingClientRect().bottom : 0;
}
"""

# Bring rendered lines first..last into view below the tool bar (centred when they fit).
JS_SCROLL_TO_LINES = """
([first, last, barBottom]) => {
  const lines = document.querySelectorAll('.lsf-richtext__line');
  const a = lines[first], b = lines[last];
  const top = a.getBoundingClientRect().top, bottom = b.getBoundingClientRect().bottom;
  const usableTop = Math.max(80, barBottom);
  if (top >= usableTop && bottom <= window.innerHeight - 80) return;
  a.style.scrollMarginTop = `${Math.max(0, barBottom - 80) + 20}px`;
  a.scrollIntoView({block: bottom - top < (window.innerHeight - usableTop) / 2 ? 'center' : 'start'});
  a.style.scrollMarginTop = '';
}
"""

# Is the point on the text (not on the tool bar or a panel drawn over it)?
JS_ON_TEXT = """
([x, y]) => {
  const el = document.elementFromPoint(x, y);
  return !!(el && el.closest('.lsf-richtext__line'));
}
"""

# Every region as the page shows it: the spans of one region share a class
# `htx-highlight-<id>-<n>`; the first holds data-start, the last data-end/data-index/data-label.
JS_REGIONS = """
() => {
  const out = {};
  for (const el of document.querySelectorAll('.lsf-richtext__container .htx-highlight')) {
    const cls = [...el.classList].find(c => /^htx-highlight-.+/.test(c));
    const r = out[cls] || (out[cls] = {cls, text: ''});
    r.text += el.textContent;
    if (el.dataset.start !== undefined && r.start === undefined) r.start = +el.dataset.start;
    if (el.dataset.end !== undefined) r.end = +el.dataset.end;
    if (el.dataset.index !== undefined) r.index = +el.dataset.index;
    if (el.dataset.label !== undefined) r.label = el.dataset.label.replace(/^\\d+:/, '');
  }
  return Object.values(out);
}
"""
