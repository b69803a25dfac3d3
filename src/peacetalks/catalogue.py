"""validation/CHECKS.md, generated from checks.CHECKS and gx_suites (a test keeps it current)."""

from __future__ import annotations

from pathlib import Path

from .checks import CHECKS
from .fsio import atomic_write_text

FIXTURES = "tests/fixtures/validation"


def fixture_path(check_id: str) -> str:
    return f"{FIXTURES}/invalid/{check_id}.yaml"


def render_catalogue() -> str:
    from .gx_suites import suite_definitions

    gx_types: dict[str, list[str]] = {}
    for suite, exps in suite_definitions().items():
        for e in exps:
            names = gx_types.setdefault(e.check_id, [])
            if e.type not in names:
                names.append(e.type)
    lines = [
        "# Validation checks",
        "",
        "<!-- Generated from peacetalks.checks and peacetalks.gx_suites by "
        "`peacetalks validate --generate`; do not edit by hand (a test checks it is current). -->",
        "",
        "`peacetalks validate` runs every check below over the repository (and, with "
        "`--release DIR`, over a built release) and exits 1 when any error is found. Each "
        "incident names its check id, document, file and span. Checks marked `gx:<suite>` are "
        "Great Expectations expectations stored in `validation/gx/expectations/<suite>.json` "
        "(label sets are `$PARAMETER`s filled from schema/taxonomy.yaml at run time); `plain` "
        "checks are vectorized functions in `peacetalks.checks*`. Agreement thresholds live in "
        "`validation/thresholds.yaml`.",
        "",
        f"Every check id has an invalid fixture under `{FIXTURES}/invalid/` that makes exactly "
        f"that id fire (with the ids listed in its `fires:`), and `{FIXTURES}/valid/` makes none "
        "fire (tests/test_validate_fixtures.py).",
        "",
        "| check id | severity | engine | meaning | test case |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in CHECKS.values():
        engine = c.engine
        if c.id in gx_types:
            engine += " (" + ", ".join(gx_types[c.id]) + ")"
        lines.append(f"| `{c.id}` | {c.severity} | {engine} | {c.meaning} | "
                     f"[{c.id}.yaml](../{fixture_path(c.id)}) |")
    return "\n".join(lines) + "\n"


def write_catalogue(path: Path) -> Path:
    atomic_write_text(path, render_catalogue())
    return path
