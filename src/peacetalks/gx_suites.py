"""Great Expectations suites over the narrow tables of tables.py.

The suites are defined here (SUITES) and stored as files under validation/gx/ (a GE file-mode
project: expectations/, validation_definitions/, checkpoints/, great_expectations.yml) by
`peacetalks validate --generate`; tests keep the files current. Label sets are never written into
the files: expectations use `{"$PARAMETER": ...}` and the values come from the taxonomy at run
time (expectation_parameters), so schema/taxonomy.yaml stays the one place that names labels.

At run time the stored project is copied to .peacetalks/reports/gx/ (git-ignored) and run from
there, so validation never writes into validation/ and the Data Docs land next to the JSON report.
Every expectation carries its check id in `meta`; failed rows come back by the `row` column (the
row's index in the Arrow table) and become Incidents with file, document, layer, id and span.

Trap handled here (notes/datasets-and-gx.md): GE silently drops an expectation whose type it
cannot load, and the suite then passes vacuously. We count what each suite file declares and
what was evaluated, and report `suite.vacuous` when they differ.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from .gx_messages import ROW, failed_rows
from .model import Incident
from .tables import LAYER_NAMES, Tables

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

DATASOURCE = "peacetalks"
BATCH = "whole_table"

STATUS_VALUES = ("done", "pending")  # DocumentAnnotations.status values
GX_DIR = "gx"


@dataclass(frozen=True)
class Exp:
    """One expectation: its GE class name, arguments, and the check id it implements."""

    check_id: str
    type: str  # class name in great_expectations.expectations
    kwargs: dict[str, Any]


def _p(name: str) -> dict[str, str]:
    return {"$PARAMETER": name}


def _span_suite(table: str, label_cols: tuple[tuple[str, str, str], ...]) -> list[Exp]:
    either = {"ignore_row_if": "either_value_is_missing"}
    exps = [Exp(f"{table}.id-unique", "ExpectCompoundColumnsToBeUnique",
                {"column_list": ["doc_id", "layer", "id"]})]
    for col in ("id", "start", "end", "text") + tuple(c for c, _, _ in label_cols):
        exps.append(Exp(f"{table}.not-null", "ExpectColumnValuesToNotBeNull", {"column": col}))
    for col, check, param in label_cols:
        exps.append(Exp(check, "ExpectColumnValuesToBeInSet", {"column": col, "value_set": _p(param)}))
    exps += [
        Exp(f"{table}.offsets", "ExpectColumnValuesToBeBetween", {"column": "start", "min_value": 0}),
        Exp(f"{table}.offsets", "ExpectColumnPairValuesAToBeGreaterThanB",
            {"column_A": "end", "column_B": "start", **either}),
        Exp(f"{table}.offsets", "ExpectColumnPairValuesAToBeGreaterThanB",
            {"column_A": "text_len", "column_B": "end", "or_equal": True, **either}),
        Exp(f"{table}.span-text", "ExpectColumnPairValuesToBeEqual",
            {"column_A": "text", "column_B": "span_text", **either}),
    ]
    return exps


def suite_definitions() -> dict[str, list[Exp]]:
    """Suite name (= table name) -> expectations, in evaluation order."""
    either = {"ignore_row_if": "either_value_is_missing"}
    documents = [Exp("documents.id-unique", "ExpectColumnValuesToBeUnique", {"column": "doc_id"})]
    for col in ("doc_id", "title", "text_len", "text_sha256", "language", "raw_sha256",
                "cleaner_version"):
        documents.append(Exp("documents.not-null", "ExpectColumnValuesToNotBeNull", {"column": col}))
    documents += [
        Exp("documents.empty-text", "ExpectColumnValuesToBeBetween", {"column": "text_len", "min_value": 1}),
        Exp("documents.text-sha256", "ExpectColumnPairValuesToBeEqual",
            {"column_A": "text_sha256", "column_B": "computed_sha256", **either}),
        Exp("documents.date", "ExpectColumnValuesToMatchRegex",
            {"column": "date", "regex": r"^\d{4}-\d{2}-\d{2}$"}),
        Exp("documents.date", "ExpectColumnValuesToMatchStrftimeFormat",
            {"column": "date", "strftime_format": "%Y-%m-%d"}),
    ]
    quotes = _span_suite("quotes", (("kind", "quotes.kind", "quote_kinds"),)) + [
        Exp("quotes.cue-offsets", "ExpectColumnValuesToBeBetween", {"column": "cue_start", "min_value": 0}),
        Exp("quotes.cue-offsets", "ExpectColumnPairValuesAToBeGreaterThanB",
            {"column_A": "cue_end", "column_B": "cue_start", **either}),
        Exp("quotes.cue-offsets", "ExpectColumnPairValuesAToBeGreaterThanB",
            {"column_A": "text_len", "column_B": "cue_end", "or_equal": True, **either}),
        Exp("quotes.cue-text", "ExpectColumnPairValuesToBeEqual",
            {"column_A": "cue_text", "column_B": "cue_span_text", **either}),
        Exp("quotes.speaker-label", "ExpectColumnValuesToBeInSet",
            {"column": "speaker_label", "value_set": _p("speaker_labels")}),
    ]
    arguments = [
        Exp("event_arguments.not-null", "ExpectColumnValuesToNotBeNull", {"column": c})
        for c in ("event_id", "role", "entity_id")
    ] + [
        Exp("event_arguments.role", "ExpectColumnValuesToBeInSet",
            {"column": "role", "value_set": _p("event_roles")}),
        Exp("event_arguments.entity-label", "ExpectColumnValuesToBeInSet",
            {"column": "role_label", "value_set": _p("role_entity_labels")}),
    ]
    annotations = [
        Exp("annotations.anchor", "ExpectColumnPairValuesToBeEqual",
            {"column_A": "anchor_sha256", "column_B": "doc_sha256", **either}),
    ]
    for layer in LAYER_NAMES:
        annotations += [
            Exp("annotations.status", "ExpectColumnValuesToNotBeNull", {"column": f"status_{layer}"}),
            Exp("annotations.status", "ExpectColumnValuesToBeInSet",
                {"column": f"status_{layer}", "value_set": _p("status_values")}),
        ]
    return {
        "documents": documents,
        "entities": _span_suite("entities", (("label", "entities.label", "entity_labels"),)),
        "quotes": quotes,
        "events": _span_suite("events", (("type", "events.type", "event_types"),
                                         ("realis", "events.realis", "realis"))),
        "event_arguments": arguments,
        "splits": [
            Exp("splits.value", "ExpectColumnValuesToBeInSet", {"column": "split", "value_set": _p("split_names")}),
            Exp("splits.disjoint", "ExpectColumnValuesToBeUnique", {"column": "doc_id"}),
        ],
        "annotations": annotations,
    }


SUITE_NAMES: tuple[str, ...] = tuple(suite_definitions())
# Suites that do not apply to a release (it carries no annotation files).
REPO_ONLY = ("annotations",)


def expectation_parameters(tax: Any) -> dict[str, list[str]]:
    """Values of the suites' $PARAMETERs, all read from the taxonomy (and the release splits)."""
    from .splits import SPLITS  # the split names (peacetalks.splits; no `datasets` import)

    return {
        "entity_labels": list(tax.entity_labels),
        "quote_kinds": list(tax.quote_kind_names),
        "event_types": list(tax.event_type_names),
        "realis": list(tax.realis_names),
        "event_roles": list(tax.role_names),
        "speaker_labels": list(tax.speaker_allowed),
        "role_entity_labels": [f"{r}:{lab}" for r in tax.role_names for lab in tax.role_allowed(r)],
        "split_names": list(SPLITS),
        "status_values": list(STATUS_VALUES),
    }


# ---- the stored project -------------------------------------------------------------------

def _gx():
    import great_expectations as gx

    return gx


def _expectations(exps: list[Exp]) -> list[Any]:
    import great_expectations.expectations as gxe

    return [getattr(gxe, e.type)(**e.kwargs, meta={"check_id": e.check_id}) for e in exps]


def _build_suite(name: str, exps: list[Exp]):
    suite = _gx().ExpectationSuite(name=name)
    for e in _expectations(exps):
        suite.add_expectation(e)
    return suite


def _comparable(suite_json: dict) -> list[dict]:
    """What must match between code and file: each expectation's type, arguments, check id."""
    return [{"type": e.get("type"), "kwargs": e.get("kwargs"), "meta": e.get("meta")}
            for e in suite_json.get("expectations", [])]


def expected_suite_json(name: str) -> list[dict]:
    exps = [e.configuration.to_json_dict() for e in _expectations(suite_definitions()[name])]
    return _comparable({"expectations": exps})


def result_format() -> dict[str, Any]:
    return {"result_format": "COMPLETE", "unexpected_index_column_names": [ROW]}


def write_project(validation_dir: Path) -> Path:
    """(Re)write validation/gx/ from SUITES: suites, validation definitions, checkpoints."""
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    target = validation_dir / GX_DIR
    tmp_root = validation_dir / ".gx-generate.tmp"
    shutil.rmtree(tmp_root, ignore_errors=True)
    ctx = gx.get_context(mode="file", project_root_dir=str(tmp_root))  # suites need a context
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    ctx.variables.save()
    ds = ctx.data_sources.add_pandas(DATASOURCE)
    for name, exps in suite_definitions().items():
        batch = ds.add_dataframe_asset(name).add_batch_definition_whole_dataframe(BATCH)
        suite = ctx.suites.add(_build_suite(name, exps))
        vd = ctx.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        ctx.checkpoints.add(gx.Checkpoint(name=name, validation_definitions=[vd], actions=[],
                                          result_format=result_format()))
    shutil.rmtree(tmp_root / GX_DIR / "uncommitted", ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp_root / GX_DIR, target)
    shutil.rmtree(tmp_root, ignore_errors=True)
    return target


def project_problems(validation_dir: Path) -> list[Incident]:
    """suite.missing / suite.stale incidents for the stored project (empty when current)."""
    gx_dir = validation_dir / GX_DIR
    rel = f"validation/{GX_DIR}"
    out: list[Incident] = []
    if not (gx_dir / "great_expectations.yml").is_file():
        return [Incident("suite.missing", "error", None, f"{rel}/great_expectations.yml",
                         "no Great Expectations project: run `peacetalks validate --generate`")]
    for name in SUITE_NAMES:
        for sub in ("expectations", "validation_definitions", "checkpoints"):
            if not (gx_dir / sub / f"{name}.json").is_file():
                out.append(Incident("suite.missing", "error", None, f"{rel}/{sub}/{name}.json",
                                    "file missing: run `peacetalks validate --generate`"))
        path = gx_dir / "expectations" / f"{name}.json"
        if path.is_file():
            try:
                stored = _comparable(json.loads(path.read_text(encoding="utf-8")))
            except (ValueError, AttributeError) as exc:
                out.append(Incident("suite.missing", "error", None, f"{rel}/expectations/{name}.json",
                                    f"cannot be read ({exc})"))
                continue
            if stored != expected_suite_json(name):
                out.append(Incident(
                    "suite.stale", "error", None, f"{rel}/expectations/{name}.json",
                    f"differs from the '{name}' suite defined in peacetalks.gx_suites "
                    f"({len(stored)} expectations stored, {len(suite_definitions()[name])} defined): "
                    "change the code, then run `peacetalks validate --generate`"))
    return out


def declared_count(validation_dir: Path, name: str) -> int:
    """Expectations the suite FILE declares (read as plain JSON: GE would drop unknown types)."""
    path = validation_dir / GX_DIR / "expectations" / f"{name}.json"
    return len(json.loads(path.read_text(encoding="utf-8")).get("expectations", []))


# ---- running ------------------------------------------------------------------------------

def used_columns(name: str) -> list[str]:
    """The columns the suite's expectations read: the only ones (with `row`) put in its batch.
    GE hashes the whole frame per batch, so a narrow frame is a fast one; the long document text
    never goes in (its checks use the derived text_len, computed_sha256 and span_text)."""
    cols: list[str] = []
    for e in suite_definitions()[name]:
        k = e.kwargs
        for c in [k.get("column"), k.get("column_A"), k.get("column_B"), *k.get("column_list", [])]:
            if c and c not in cols:
                cols.append(c)
    return cols


def batch_frame(table: pa.Table, name: str):
    narrow = table.select([c for c in used_columns(name) if c in table.column_names])
    narrow = narrow.append_column(ROW, pa.array(range(table.num_rows), pa.int64()))
    return narrow.to_pandas()


def run_suites(tables: Tables, tax: Any, validation_dir: Path, work_dir: Path,
               names: tuple[str, ...] | None = None, progress: Any = None,
               data_docs: bool = True) -> tuple[list[Incident], dict[str, dict[str, int]], Path | None]:
    """Run the stored suites over derived tables. Returns incidents, per-suite counts
    ({declared, evaluated, failed, rows}) and the Data Docs index (None if not built)."""
    gx = _gx()
    names = names or SUITE_NAMES
    src = validation_dir / GX_DIR
    shutil.rmtree(work_dir / GX_DIR, ignore_errors=True)
    work_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src, work_dir / GX_DIR, ignore=shutil.ignore_patterns("uncommitted"))
    ctx = gx.get_context(mode="file", project_root_dir=str(work_dir))
    params = expectation_parameters(tax)
    incidents: list[Incident] = []
    counts: dict[str, dict[str, int]] = {}
    task = progress.add_task("Great Expectations suites", total=len(names)) if progress else None
    for name in names:
        table = tables.table(name)
        where = f"validation/{GX_DIR}/checkpoints/{name}.json"
        try:
            declared = declared_count(validation_dir, name)
            checkpoint = ctx.checkpoints.get(name)
        except Exception as exc:  # GE raises many types; each means "cannot load"
            incidents.append(Incident("suite.missing", "error", None, where,
                                      f"cannot load suite '{name}' ({type(exc).__name__}: {exc})"))
            continue
        result = checkpoint.run(batch_parameters={"dataframe": batch_frame(table, name)},
                                expectation_parameters=params)
        evaluated = failed = 0
        for vr in result.run_results.values():
            for r in vr.results:
                meta = r.expectation_config.meta or {}
                check_id = meta.get("check_id", "suite.error")
                exc = _exception_message(r.exception_info)
                if exc is not None:
                    incidents.append(Incident(
                        "suite.error", "error", None, f"suite {name}",
                        f"{r.expectation_config.type} ({check_id}) raised: {exc}"))
                    continue
                evaluated += 1
                if not r.success:
                    failed += 1
                    incidents += failed_rows(name, table, check_id, r, params)
        counts[name] = {"declared": declared, "evaluated": evaluated, "failed": failed,
                        "rows": table.num_rows}
        if evaluated < declared:
            incidents.append(Incident(
                "suite.vacuous", "error", None, f"validation/{GX_DIR}/expectations/{name}.json",
                f"declares {declared} expectations but only {evaluated} were evaluated (an "
                "expectation type that did not load, or one that raised)"))
        if progress:
            progress.advance(task)
    docs_index: Path | None = None
    if not data_docs:
        return incidents, counts, None
    try:
        ctx.build_data_docs()
        index = work_dir / GX_DIR / "uncommitted" / "data_docs" / "local_site" / "index.html"
        docs_index = index if index.is_file() else None
    except Exception:  # Data Docs are a convenience; the JSON report is the record
        docs_index = None
    return incidents, counts, docs_index


def _exception_message(info: Any) -> str | None:
    """The message of an exception GE caught, wherever it nests it (per metric, or flat)."""
    if isinstance(info, dict):
        if info.get("raised_exception"):
            return str(info.get("exception_message") or "an exception")
        for value in info.values():
            found = _exception_message(value)
            if found is not None:
                return found
    return None
