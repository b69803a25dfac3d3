"""`peacetalks ls serve | status | push | pull | stop` in a temporary repository (real server)."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner

from ls_helpers import add_docs, make_doc
from peacetalks.cli import cli
from peacetalks.ls_server import read_pidfile

pytestmark = pytest.mark.labelstudio


def test_serve_push_pull_stop(ls_repo, labeling_config, monkeypatch):
    for var in ("PEACETALKS_LS_EMAIL", "PEACETALKS_LS_PASSWORD", "PEACETALKS_LS_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    (ls_repo.generated_dir).mkdir(parents=True)
    (ls_repo.generated_dir / "labeling_config.xml").write_text(labeling_config)
    add_docs(ls_repo, [make_doc("c1", "Lavrov said talks in Riyadh went well 🇸🇦.")])
    runner = CliRunner()
    try:
        out = runner.invoke(cli, ["ls", "serve"])
        assert out.exit_code == 0, out.output
        secrets = json.loads(ls_repo.secrets_file.read_text())
        assert stat.S_IMODE(ls_repo.secrets_file.stat().st_mode) == 0o600
        assert "http://127.0.0.1:" in out.output and secrets["email"] in out.output
        assert secrets["token"] not in out.output and secrets["password"] not in out.output
        info = read_pidfile(ls_repo.ls_pid_file)
        assert info is not None and info["base_url"] in out.output

        again = runner.invoke(cli, ["ls", "serve"])  # idempotent: no second server, same project
        assert again.exit_code == 0 and "already running" in again.output
        assert read_pidfile(ls_repo.ls_pid_file)["pid"] == info["pid"]

        pushed = runner.invoke(cli, ["ls", "push", "--no-predictions"])
        assert pushed.exit_code == 0 and "1 task(s) created" in pushed.output, pushed.output
        pulled = runner.invoke(cli, ["ls", "pull"])
        assert pulled.exit_code == 0 and "0 file(s) written" in pulled.output, pulled.output
        assert "running" in runner.invoke(cli, ["ls", "status"]).output
        log = (ls_repo.ls_data_dir / "server.log").read_text(errors="replace")
        assert secrets["token"] not in log
    finally:
        stopped = runner.invoke(cli, ["ls", "stop"])
    assert stopped.exit_code == 0 and "stopped" in stopped.output
    assert read_pidfile(ls_repo.ls_pid_file) is None
    bad = runner.invoke(cli, ["ls", "pull"])
    assert bad.exit_code == 1 and "not running" in bad.output
