"""The CLI is a thin layer: every command documents an example, and library errors become one
clean line with exit status 1 (no traceback)."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from peacetalks.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from _all_commands(command, path)


COMMANDS = list(_all_commands(cli))


def test_every_stage_has_commands():
    names = {" ".join(p) for p, _ in COMMANDS}
    for expected in ("ingest", "clean", "clean-files", "validate", "build", "release", "run",
                     "ls push", "ls pull", "ls serve", "ls stop", "ls reanchor", "schema diff"):
        assert expected in names


@pytest.mark.parametrize("path", [p for p, c in COMMANDS if not isinstance(c, click.Group)],
                         ids=lambda p: " ".join(p))
def test_every_command_help_has_an_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    # The example shows this very command being run.
    example = result.output.split("Example:", 1)[1]
    assert "peacetalks " + " ".join(path) in example


def test_library_error_is_one_clean_line_with_exit_1(tmp_path, monkeypatch):
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "taxonomy.yaml").write_text("schema_version: 1.0\nentities: []\n")
    monkeypatch.setenv("PEACETALKS_ROOT", str(tmp_path))
    result = CliRunner().invoke(cli, ["schema", "check"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "schema/taxonomy.yaml" in lines[0] and "schema_version" in lines[0]


def test_usage_error_exits_2(tmp_path):
    result = CliRunner().invoke(cli, ["clean-files", str(tmp_path / "missing.txt"), "--out", str(tmp_path)])
    assert result.exit_code == 2


def test_run_lists_declared_steps(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    monkeypatch.setenv("PEACETALKS_ROOT", str(tmp_path))
    result = CliRunner().invoke(cli, ["run", "--list"])
    assert result.exit_code == 0
    steps = [line.split()[0] for line in result.output.splitlines()]
    assert steps == ["clean", "split", "schema", "validate", "release"]
