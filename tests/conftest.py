"""Shared fixtures: a REAL Label Studio server for the whole session, fresh projects, temp repos.

Stable interface (other test modules rely on it):
- `ls_server` (session): a running Label Studio (`peacetalks.ls_server.ServerHandle`) started
  like `peacetalks ls serve` does (own venv, 127.0.0.1, a free port, a temporary data dir).
  Attributes: base_url, port, api_key, email, password, data_dir, pid. If the server cannot
  start, every test using it FAILS with the reason (never skips).
- `ls` (function): a `peacetalks.ls_client.LS` connection to it (`.sdk` is the SDK client).
- `labeling_config` (session): schema/generated/labeling_config.xml (the committed, generated
  config; tests/test_schema.py checks it is current).
- `taxonomy` (session): the real schema/taxonomy.yaml.
- `ls_project` (function): a fresh project (id, title) with that config; deleted afterwards.
- `ls_repo` (function): an empty repository in tmp_path (schema/ copied, corpus/clean/ and
  annotations/ empty) as a `peacetalks.paths.Repo`.
- `disposable_ls_server` (function): a second server started on a copy of the session server's
  database, for tests that kill it (~5 s to start).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from peacetalks.errors import PeacetalksError
from peacetalks.ls_client import LS
from peacetalks.ls_server import (
    Credentials,
    ServerHandle,
    start_server,
    stop_server,
)
from peacetalks.ls_venv import ensure_server_venv
from peacetalks.paths import Repo
from peacetalks.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
TEST_EMAIL = "admin@peacetalks.test"
TEST_PASSWORD = "peacetalks-test-password"


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy(ROOT / "schema" / "taxonomy.yaml")


@pytest.fixture(scope="session")
def tax(taxonomy: Taxonomy) -> Taxonomy:
    """The short name the schema, pre-annotation and benchmark tests use."""
    return taxonomy


@pytest.fixture(scope="session")
def rules(taxonomy: Taxonomy):
    """The repository's pre-annotation rules (annotations/entity_patterns.yaml)."""
    from peacetalks.prelabel import load_rules

    return load_rules(taxonomy, Repo(ROOT).entity_patterns_file)


@pytest.fixture(scope="session")
def labeling_config(taxonomy: Taxonomy) -> str:
    return (ROOT / "schema" / "generated" / "labeling_config.xml").read_text(encoding="utf-8")


def _start(data_dir: Path, creds: Credentials) -> ServerHandle:
    try:
        return start_server(data_dir, creds, executable=ensure_server_venv(quiet=True))
    except PeacetalksError as exc:
        pytest.fail(f"Label Studio could not start: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def ls_server(tmp_path_factory) -> Iterator[ServerHandle]:
    creds = Credentials(TEST_EMAIL, TEST_PASSWORD, secrets.token_hex(20))
    handle = _start(tmp_path_factory.mktemp("label-studio-data"), creds)
    try:
        yield handle
    finally:
        stop_server(handle)


@pytest.fixture
def ls(ls_server: ServerHandle) -> Iterator[LS]:
    with LS(ls_server.base_url, ls_server.api_key) as conn:
        yield conn


@dataclass(frozen=True)
class Project:
    id: int
    title: str


@pytest.fixture
def ls_project(ls: LS, labeling_config: str, request) -> Iterator[Project]:
    title = f"t-{request.node.name[:38]}-{secrets.token_hex(3)}"
    pid = ls.ensure_project(title, labeling_config)
    yield Project(pid, title)
    try:
        ls.sdk.projects.delete(id=pid)
    except Exception:  # a killed/disposable server must not hide the test's own result
        pass


@pytest.fixture
def ls_repo(tmp_path: Path, monkeypatch) -> Repo:
    root = tmp_path / "repo"
    (root / "schema").mkdir(parents=True)
    shutil.copy(ROOT / "schema" / "taxonomy.yaml", root / "schema" / "taxonomy.yaml")
    (root / "corpus" / "clean").mkdir(parents=True)
    (root / "annotations").mkdir()
    monkeypatch.setenv("PEACETALKS_ROOT", str(root))
    return Repo(root)


@pytest.fixture
def disposable_ls_server(ls_server: ServerHandle, tmp_path: Path) -> Iterator[ServerHandle]:
    """A server of its own (same users and token), safe to kill: started on a consistent copy
    (sqlite backup API) of the session server's database, so it starts in seconds."""
    data = tmp_path / "ls-copy"
    data.mkdir()
    for extra in (".env",):
        if (ls_server.data_dir / extra).exists():
            shutil.copy(ls_server.data_dir / extra, data / extra)
    src = sqlite3.connect(ls_server.data_dir / "label_studio.sqlite3")
    dst = sqlite3.connect(data / "label_studio.sqlite3")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    handle = _start(data, ls_server.credentials)
    try:
        yield handle
    finally:
        stop_server(handle)


def pytest_configure(config) -> None:
    # Label Studio is started by the fixtures above; make sure no ambient setting points the
    # library at another server during tests.
    for var in ("PEACETALKS_LS_URL", "PEACETALKS_LS_TOKEN"):
        os.environ.pop(var, None)
