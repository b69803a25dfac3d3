"""Raw record → cleaned Document: decode, find the article, keep its paragraphs with provenance.

Every kept paragraph is a run of the decoded raw text (see `decode.decode_bytes`) with its
whitespace collapsed, so `ProvenanceRange(raw_start, raw_end, ...)` is exact:
``" ".join(decoded[raw_start:raw_end].split()) == text[text_start:text_end]`` (for HTML the
range covers the paragraph's markup and the same holds after removing tags and entities).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any, Callable, Iterable

from . import meta
from .boilerplate import Unit, classify, dedup_key, select_main
from .boilerplate_articles import mark_contact_blocks
from .boilerplate_documents import mark_copy_notes, mark_email_headers
from .boilerplate_edges import keep_closing_sentences
from .boilerplate_inline import keep_introduced_lists, mark_alt_text
from .decode import check_size, decode_bytes
from .errors import RejectedInput
from .fsio import file_batch, write_json
from .ingest import RawRecord
from .model import Document, ProvenanceRange, sha256_text
from .paths import Repo

# Bump whenever the output of the cleaner changes for some input (documents record it, and the
# annotation sync uses it to tell a cleaner change from an edit).
CLEANER_VERSION = "1.1.0"

_DROP = attrgetter("drop")
NO_ARTICLE = "no-article"
ONLY_BOILERPLATE = "only-boilerplate"
MIN_ARTICLE_WORDS = 25  # below this there is no article to annotate, only scraps

_EN_FUNCTION = frozenset(
    "the of and to in a is that for on was with said by as at from it has have be are not this "
    "will but he she they his her their an its were would who which after been over".split()
)


@dataclass(frozen=True)
class Cleaned:
    """What the cleaner found in one page (no ids: those belong to the corpus)."""

    title: str
    text: str
    date: str | None
    dateline: str | None
    publisher: str | None
    language: str
    provenance: tuple[ProvenanceRange, ...]
    encoding: str
    media_type: str
    notes: tuple[str, ...] = ()  # repairs made while decoding (stable strings)


def guess_language(text: str) -> str:
    """"en" when English function words are frequent, else "und" (undetermined): a stated
    fact about the text, never a guess at some other language."""
    words = text[:5000].lower().split()
    if not words:
        return "und"
    need = 0.15 * len(words)
    hits = 0
    for i in range(0, len(words), 200):  # stop counting as soon as the share is reached
        hits += sum(map(_EN_FUNCTION.__contains__, words[i : i + 200]))
        if hits >= need:
            return "en"
    return "und"


def assembled_language(text: str) -> str:
    """`guess_language(text)` for a text built by `assemble` (whitespace-collapsed paragraphs
    joined by blank lines), without splitting all of it: every space there separates two words,
    so the word count is a count of spaces, and words are split and looked up paragraph by
    paragraph only until the English share is reached. Exact: "en" is decided by the total
    number of hits, which only grows (the 200-word blocks above just stop early), and lower()
    neither creates nor removes whitespace."""
    pieces = text[:5000].split("\n\n")
    last = pieces[-1]
    if last.endswith("\n"):  # the cut fell between the two newlines of a separator
        pieces[-1] = last = last[:-1]
    words = sum(1 + p.count(" ") for p in pieces if p) - last.endswith(" ")  # cut after a space
    if not words:
        return "und"
    need = 0.15 * words
    hits = 0
    for p in pieces:
        hits += sum(map(_EN_FUNCTION.__contains__, p.lower().split()))
        if hits >= need:
            return "en"
    return "und"


# A non-blank line (lines end at "\n" only) without its leading and trailing whitespace, exactly
# as `line.strip()` gives it: one regex scan instead of a Python loop over every line.
_LINE = re.compile(r"^[^\S\n]*(\S(?:[^\n]*\S)?)", re.M)  # "^": linear on long blank runs
# Whitespace other than " " and "\n" (str.isspace() characters; none lies beyond U+3000).
_OTHER_SPACE = re.compile("[" + "".join(re.escape(c) for c in map(chr, range(0x3001))
                                        if c.isspace() and c not in " \n") + "]")


def segment(text: str) -> list[Unit]:
    """Non-blank lines as units; hard-wrapped paragraphs (e-mail style, ~72 columns) are joined
    back into one unit so that the classifier sees paragraphs, not fragments of them."""
    # A line holds no "\n" and is stripped: if " " is the text's only other whitespace, it is the
    # line's only whitespace (one scan of the page instead of a split of every line).
    spaces_only = _OTHER_SPACE.search(text) is None
    units = [Unit(m.group(1), m.start(1), m.end(1), spaces_only) for m in _LINE.finditer(text)]
    return _join_wrapped(text, units)


def _join_wrapped(text: str, units: list[Unit]) -> list[Unit]:
    """Hard-wrapped text: many lines close to one width W (<= 100) that continue on the next
    line (it starts in lower case, or the line ends without sentence punctuation)."""
    if len(units) < 4:
        return units
    long_lengths = sorted(len(u.text) for u in units if len(u.text) >= 30)
    if len(long_lengths) < 3:
        return units
    width = long_lengths[int(len(long_lengths) * 0.9)]
    if width > 100:
        return units
    continued = 0
    for a, b in zip(units, units[1:]):
        if len(a.text) >= 0.75 * width and text.count("\n", a.end, b.start) == 1 and (
            b.text[0].islower() or a.text[-1] not in ".!?:\"”’"
        ):
            continued += 1
    if continued < 3:
        return units
    out: list[Unit] = [units[0]]
    for u in units[1:]:
        prev = out[-1]
        same_block = text.count("\n", prev.end, u.start) == 1
        line_start = _line_start(text, prev.end)  # of prev's last line
        if (same_block and prev.end - line_start >= 0.6 * width and meta.COLUMN_GAP not in u.text
                and meta.COLUMN_GAP not in text[line_start : prev.end]):
            out[-1] = Unit(text[prev.start : u.end], prev.start, u.end)
        else:
            out.append(u)
    return out


def _line_start(text: str, end: int) -> int:
    return text.rfind("\n", 0, end) + 1


def clean_units(
    units: list[Unit], where: str, *, title: str | None = None, html: bool = False
) -> tuple[str, list[Unit], dict[str, str | None]]:
    """The shared rules for text dumps and extracted HTML: returns (title, kept units, metadata)."""
    found: dict[str, str | None] = {"date": None, "dateline": None, "publisher": None}
    for u in units[:3]:  # " date 2025-05-15 ..." header lines glued to the first line(s)
        found["date"] = found["date"] or meta.take_header_date(u)
    mark_email_headers(units)
    mark_copy_notes(units)
    dated: list[tuple[int, str]] = []  # (unit index, ISO date) of lines that are only a date
    for i, u in enumerate(units):
        if u.drop is not None:
            continue
        pub = meta.credit_publisher(u.text) if u.n_words <= 6 else None
        if pub:
            u.drop = "credit"
            found["publisher"] = found["publisher"] or pub
        elif u.n_words <= 10 and any(map(str.isdigit, u.text)):
            iso = meta.parse_date(u.text)
            if iso:
                u.drop = "timestamp"
                if not meta.is_copy_date(u.text):
                    dated.append((i, iso))
    classify(units)
    drops = list(map(_DROP, units))
    if "caption" in drops:
        mark_alt_text(units, drops)
    if "link-list" in drops:
        keep_introduced_lists(units, drops)
    if drops.count("contact") > 1:
        mark_contact_blocks(units, drops)
    region = select_main(units, gap=6 if html else 4)
    # A page without article prose is "no-article"; a text dump whose lines were all recognised
    # as page furniture is "only-boilerplate" (HTML: the extractor already removed the furniture).
    furniture = not html and any(u.drop not in (None, "outside-main", "link-list", "fragment") for u in units)
    if region is None:
        raise RejectedInput(where, ONLY_BOILERPLATE if furniture else NO_ARTICLE,
                            "no paragraph of article prose found")
    start, last = region
    keep_closing_sentences(units, last)
    if title is None:
        t = meta.pick_title(units, start)
        title = " ".join(units[t].text.split()) if t is not None else ""
    title_key = dedup_key(title)
    for u in units[:start]:
        if found["dateline"] is None and u.drop in (None, "link-list", "outside-main", "fragment"):
            found["dateline"] = meta.standalone_dateline(u)
        if found["date"] is None and u.drop == "timestamp" and u.n_words <= 14 and not meta.is_copy_date(u.text):
            found["date"] = meta.parse_date(u.text)
    if found["date"] is None and dated:  # a date line printed after the article instead
        found["date"] = dated[0][1]
    short = title_key.count(" ") + meta.RUNNING_HEADER_MAX_WORDS + 2  # headline + a site's name
    kept = [u for u in units if u.drop is None and u.key != title_key
            and not (u.n_words <= short and meta.running_header(u.key, title_key))]
    if kept:
        place, pub, iso = meta.split_dateline(kept[0])
        found["dateline"] = found["dateline"] or place
        found["publisher"] = pub or found["publisher"]
        found["date"] = found["date"] or iso
    if found["publisher"] is None:
        for u in units:
            if u.drop == "legal":
                found["publisher"] = meta.copyright_holder(u.text)
                if found["publisher"]:
                    break
    words = sum(u.n_words for u in kept)
    if words < MIN_ARTICLE_WORDS:
        raise RejectedInput(where, ONLY_BOILERPLATE if furniture else NO_ARTICLE,
                            f"only {words} words of article text")
    return title, kept, found


def assemble(kept: list[Unit]) -> tuple[str, tuple[ProvenanceRange, ...]]:
    """Paragraphs separated by blank lines, whitespace collapsed; provenance per paragraph."""
    parts: list[str] = []
    prov: list[ProvenanceRange] = []
    pos = 0
    for u in kept:
        para = u.collapse()
        if parts:
            pos += 2
        prov.append(ProvenanceRange(u.start, u.end, pos, pos + len(para)))
        parts.append(para)
        pos += len(para)
    return "\n\n".join(parts), tuple(prov)


def clean_text(decoded: str, where: str, *, encoding: str = "utf-8",
               notes: tuple[str, ...] = ()) -> Cleaned:
    """Clean a whole-page text dump (already decoded and normalised)."""
    title, kept, found = clean_units(segment(decoded), where)
    text, prov = assemble(kept)
    return Cleaned(title, text, found["date"], found["dateline"], found["publisher"],
                   assembled_language(text), prov, encoding, "text/plain", notes)


_HTML_SNIFF = re.compile(rb"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article)[\s>]", re.I)


def sniff_media_type(name: str, data: bytes) -> str:
    """text/html by extension, or by markup near the start of the file; else text/plain."""
    lower = name.lower()
    if lower.endswith((".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx")):
        return "text/html"
    if lower.endswith((".txt", ".text", ".md")):
        return "text/plain"
    head = data[:4096]
    return "text/html" if _HTML_SNIFF.search(head.replace(b"\x00", b"")) else "text/plain"


def clean_bytes(data: bytes, where: str, media_type: str | None = None) -> Cleaned:
    """Decode then clean one file's bytes; RejectedInput(where, reason) when it cannot be."""
    media_type = media_type or sniff_media_type(where, data)
    decoded = decode_bytes(data, where)
    if media_type == "text/html":
        from .html import clean_html  # trafilatura import is slow; text-only users skip it

        return clean_html(decoded.text, where, encoding=decoded.encoding, notes=decoded.notes)
    return clean_text(decoded.text, where, encoding=decoded.encoding, notes=decoded.notes)


def clean_record(rec: RawRecord) -> Document:
    """One raw record → one Document (a pure function of the record)."""
    c = clean_bytes(rec.data, rec.raw_file, rec.media_type)
    return Document(
        doc_id=rec.doc_id,
        title=c.title,
        text=c.text,
        text_sha256=sha256_text(c.text),
        date=c.date,
        dateline=c.dateline,
        publisher=rec.publisher or c.publisher,
        url=rec.url,
        language=c.language,
        raw_sha256=rec.sha256,
        raw_file=rec.raw_file,
        media_type=rec.media_type,
        cleaner_version=CLEANER_VERSION,
        provenance=c.provenance,
    )


# ---------------------------------------------------------------------------------------------
# Whole-corpus and ad-hoc runs (the per-document functions above stay pure).

Track = Callable[[Iterable[Any], str, int], Iterable[Any]]


def _no_progress(items: Iterable[Any], description: str, total: int) -> Iterable[Any]:
    return items


@dataclass
class CleanReport:
    written: list[str] = field(default_factory=list)  # doc ids
    removed: list[str] = field(default_factory=list)  # stale clean files deleted
    rejected: list[RejectedInput] = field(default_factory=list)
    clusters: dict[str, str] = field(default_factory=dict)


def clean_corpus(repo: Repo, track: Track = _no_progress) -> CleanReport:
    """Re-clean every current raw file into corpus/clean/ and recompute corpus/clusters.json,
    all in one batch: either every file is replaced or none is."""
    from .dedup import cluster_ids
    from .ingest import current_entries, load_manifest, read_record

    entries = current_entries(load_manifest(repo))
    report = CleanReport()
    docs: list[Document] = []
    for entry in track(entries, "cleaning", len(entries)):
        try:
            docs.append(clean_record(read_record(repo, entry)))
        except RejectedInput as exc:
            report.rejected.append(exc)
    report.clusters = cluster_ids((d.doc_id, d.text) for d in docs)
    keep = {f"{d.doc_id}.json" for d in docs}
    with file_batch() as batch:
        for d in docs:
            batch.write_json(repo.clean_dir / f"{d.doc_id}.json", d.to_dict())
            report.written.append(d.doc_id)
        for stale in sorted(repo.clean_dir.glob("*.json")):
            if stale.name not in keep:
                batch.delete(stale)
                report.removed.append(stale.stem)
        batch.write_json(repo.clusters_file, dict(sorted(report.clusters.items())))
    return report


def cleaned_to_dict(name: str, c: Cleaned) -> dict[str, Any]:
    return {
        "source": name,
        "title": c.title,
        "text": c.text,
        "date": c.date,
        "dateline": c.dateline,
        "publisher": c.publisher,
        "language": c.language,
        "media_type": c.media_type,
        "encoding": c.encoding,
        "decode_notes": list(c.notes),
        "text_sha256": sha256_text(c.text),
        "cleaner_version": CLEANER_VERSION,
        "provenance": [asdict(p) for p in c.provenance],
    }


def clean_path(path: Path) -> Cleaned:
    """Clean one file outside the corpus (size checked before reading)."""
    where = str(path)
    try:
        check_size(path.stat().st_size, where)
        data = path.read_bytes()
    except OSError as exc:
        raise RejectedInput(where, "unreadable", exc.strerror or str(exc)) from exc
    return clean_bytes(data, where)


def clean_files(paths: list[Path], out: Path, track: Track = _no_progress) -> tuple[list[Path], list[RejectedInput]]:
    """Write out/<file name>.json for every file that cleans; rejected files get no JSON."""
    written: list[Path] = []
    rejected: list[RejectedInput] = []
    for path in track(paths, "cleaning", len(paths)):
        try:
            c = clean_path(path)
        except RejectedInput as exc:
            rejected.append(exc)
            continue
        target = out / f"{path.name}.json"
        write_json(target, cleaned_to_dict(path.name, c))
        written.append(target)
    return written, rejected
