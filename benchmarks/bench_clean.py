"""Rows `clean_html` and `clean_text`.

clean_html: the project's whole HTML path (`peacetalks.clean.clean_bytes` on the page bytes:
decode, trafilatura via peacetalks.html, boilerplate rules, metadata, provenance) against
`trafilatura.extract` alone on the same, already decoded pages. The project side also pays for
decoding, so the comparison is strict.

clean_text: whole-page text dumps (navigation, consent banner, repeated headline, article,
share buttons, footer) through `clean_bytes(..., "text/plain")`, in one process: MB of raw
input per second per core.
"""

from __future__ import annotations

import trafilatura

from peacetalks.clean import clean_bytes
from peacetalks.errors import RejectedInput

from .harness import Row, best_of, ratio_row
from .synth import SyntheticCorpus


def _clean_all(pages: list[bytes], suffix: str, media_type: str) -> int:
    rejected = 0
    for i, data in enumerate(pages):
        try:
            clean_bytes(data, f"page{i:05d}.{suffix}", media_type)
        except RejectedInput:
            rejected += 1
    return rejected


def bench_clean_html(corpus: SyntheticCorpus, n_pages: int, repeat: int, log=print) -> list[Row]:
    pages = [corpus.html_page(i) for i in range(n_pages)]
    raw = [p.encode("utf-8") for p in pages]
    rejected = _clean_all(raw, "html", "text/html")  # warm-up (imports, lxml caches)
    for p in pages[:3]:
        trafilatura.extract(p)
    # Interleave the two sides so that a burst of load from other users hits both.
    t_project = t_anchor = float("inf")
    for _ in range(max(1, repeat)):
        t_anchor = min(t_anchor, best_of(lambda: [trafilatura.extract(p) for p in pages], 1))
        t_project = min(t_project, best_of(lambda: _clean_all(raw, "html", "text/html"), 1))
    log(f"clean_html: project {t_project:.2f}s, trafilatura.extract {t_anchor:.2f}s")
    mb = sum(map(len, raw)) / 1e6
    return [ratio_row("clean_html", t_project, "trafilatura.extract on the same pages", t_anchor,
                      1.1, note=f"{n_pages} pages, {mb:.1f} MB, {rejected} rejected")]


def bench_clean_text(corpus: SyntheticCorpus, n_pages: int, repeat: int, log=print) -> list[Row]:
    pages = [corpus.raw_page(i).encode("utf-8") for i in range(n_pages)]
    rejected = _clean_all(pages[:20], "txt", "text/plain")  # warm-up
    t = best_of(lambda: _clean_all(pages, "txt", "text/plain"), max(1, repeat))
    rejected = _clean_all(pages, "txt", "text/plain")
    mb = sum(map(len, pages)) / 1e6
    log(f"clean_text: {mb / t:.2f} MB/s")
    return [Row("clean_text", round(mb / t, 3), "MB/s", "per core (one process)", None, None,
                5.0, False, note=f"{n_pages} text dumps, {mb:.1f} MB in {t:.2f}s, "
                                 f"{rejected} rejected")]
