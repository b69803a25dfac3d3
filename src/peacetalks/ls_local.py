"""The repository's local Label Studio: credentials, serve/stop, the project, the connection.

Credentials come from $PEACETALKS_LS_EMAIL / _PASSWORD / _TOKEN when set, else from a generated
.peacetalks/secrets.json (git-ignored, mode 0600). The token is never printed or logged.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from .errors import LabelStudioError
from .ls_client import LS, TOKEN_ENV, URL_ENV
from .ls_server import (
    Credentials,
    ServerHandle,
    read_pidfile,
    start_server,
    stop_pid,
    write_pidfile,
)
from .ls_venv import ensure_server_venv
from .paths import Repo

PROJECT_TITLE = os.environ.get("PEACETALKS_LS_PROJECT", "peacetalks")
EMAIL_ENV, PASSWORD_ENV = "PEACETALKS_LS_EMAIL", "PEACETALKS_LS_PASSWORD"


def load_credentials(repo: Repo, create: bool = True) -> Credentials:
    stored: dict[str, str] = {}
    path = repo.secrets_file
    if path.is_file():
        try:
            stored = json.loads(path.read_text())
        except ValueError as exc:
            raise LabelStudioError(f"{path}: not valid JSON ({exc})") from exc
    env = {"email": os.environ.get(EMAIL_ENV), "password": os.environ.get(PASSWORD_ENV),
           "token": os.environ.get(TOKEN_ENV)}
    if not all(env.values()) and not stored:
        if not create:
            raise LabelStudioError(f"no Label Studio credentials: {path} is missing "
                                   f"(run `peacetalks ls serve`) and {TOKEN_ENV} is not set")
        fresh = Credentials.generate()
        stored = {"email": fresh.email, "password": fresh.password, "token": fresh.token}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(stored, f, indent=2)
    values = {k: env[k] or stored.get(k) for k in env}
    if not all(values.values()):
        raise LabelStudioError(f"incomplete Label Studio credentials in {path} and the environment")
    return Credentials(**values)


def labeling_config(repo: Repo) -> str:
    path = repo.generated_dir / "labeling_config.xml"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise LabelStudioError(f"{path} is missing: run `peacetalks schema generate` first") from None


@dataclass(frozen=True)
class Served:
    base_url: str
    email: str
    project_id: int
    already_running: bool


def serve(repo: Repo, port: int | None = None) -> Served:
    """Start the local server (unless running), create/update the project from schema/."""
    creds = load_credentials(repo)
    config = labeling_config(repo)
    info = read_pidfile(repo.ls_pid_file)
    running = info is not None
    if running:
        base_url = info["base_url"]
    else:
        repo.ls_data_dir.mkdir(parents=True, exist_ok=True)
        handle: ServerHandle = start_server(repo.ls_data_dir, creds, port=port,
                                            executable=ensure_server_venv())
        write_pidfile(repo.ls_pid_file, handle)
        base_url = handle.base_url
    with LS(base_url, creds.token) as ls:
        project_id = ls.ensure_project(PROJECT_TITLE, config,
                                       description="peacetalks annotation (schema/taxonomy.yaml)")
    return Served(base_url, creds.email, project_id, running)


def stop(repo: Repo) -> bool:
    info = read_pidfile(repo.ls_pid_file)
    stopped = info is not None and stop_pid(int(info["pid"]))
    repo.ls_pid_file.unlink(missing_ok=True)
    return stopped


def status(repo: Repo) -> dict | None:
    return read_pidfile(repo.ls_pid_file)


def connect_local(repo: Repo) -> LS:
    """$PEACETALKS_LS_URL + token when set (a shared server), else the local `ls serve` one."""
    url = os.environ.get(URL_ENV)
    if url is None:
        info = read_pidfile(repo.ls_pid_file)
        if info is None:
            raise LabelStudioError(f"Label Studio is not running: start it with `peacetalks ls "
                                   f"serve`, or set {URL_ENV} and {TOKEN_ENV}")
        url = info["base_url"]
    token = os.environ.get(TOKEN_ENV) or load_credentials(repo, create=False).token
    return LS(url, token)

