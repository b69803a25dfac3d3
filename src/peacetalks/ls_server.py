"""Set up and run a real Label Studio server (its own virtualenv, loopback only, offline).

The server runs from its own virtualenv (ls_venv): its pins clash with the project's.

Facts this module relies on (measured; see the project notes on Label Studio 1.23):
- credentials/token env vars create the admin only on the first start of an empty data dir;
- `--internal-host` defaults to 0.0.0.0; a busy port makes the server silently move to the next
  one, so the port is chosen free, then verified;
- unprefixed USERNAME/PASSWORD/PORT/HOST/DEBUG leak in as fallbacks and are stripped.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from .errors import LabelStudioError
from .ls_venv import ensure_server_venv, tail

# Variables Label Studio reads as fallbacks for its LABEL_STUDIO_* settings (get_env()).
LEAKING_ENV = ("USERNAME", "PASSWORD", "PORT", "HOST", "DEBUG", "USER_TOKEN")


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str
    token: str  # 40 hex characters; never printed, logged or written into a tracked file

    def __repr__(self) -> str:  # keep secrets out of tracebacks and logs
        return f"Credentials(email={self.email!r}, password=***, token=***)"

    @classmethod
    def generate(cls, email: str = "admin@peacetalks.local") -> Credentials:
        return cls(email=email, password=secrets.token_urlsafe(18), token=secrets.token_hex(20))


@dataclass
class ServerHandle:
    base_url: str
    port: int
    data_dir: Path
    pid: int
    log_path: Path
    credentials: Credentials
    process: subprocess.Popen | None = None
    log_offset: int = 0  # where this start's output begins in the (appended) log

    @property
    def api_key(self) -> str:
        return self.credentials.token

    @property
    def email(self) -> str:
        return self.credentials.email

    @property
    def password(self) -> str:
        return self.credentials.password

    def __repr__(self) -> str:
        return f"ServerHandle(base_url={self.base_url!r}, pid={self.pid}, data_dir={self.data_dir})"


# --- the server's own virtualenv ----------------------------------------------------------


def ensure_db_template(exe: Path, quiet: bool = False) -> Path:
    """A migrated, empty Label Studio database next to the venv, made once.

    Migrating an empty database is most of a first start (20 s idle, minutes on a busy machine).
    The template holds the schema only: no user, no organisation, no secret key (each data dir
    gets its own .env), so the admin and the legacy-token setting are still created by the
    first start with the caller's credentials."""
    venv = exe.parent.parent
    template = venv / "peacetalks-db-template" / "label_studio.sqlite3"
    if template.is_file():
        return template
    with open(venv.parent / f".{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if template.is_file():
            return template
        import tempfile

        from rich.console import Console

        with tempfile.TemporaryDirectory(dir=venv) as tmp, Console(
                stderr=True, quiet=quiet).status("Preparing Label Studio's database (once)"):
            env = server_env(Path(tmp), Credentials("", "", ""))
            for key in ("LABEL_STUDIO_USERNAME", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN"):
                env.pop(key)
            proc = subprocess.run([str(exe), "version", "--data-dir", tmp], env=env, cwd=tmp,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True)
            db = Path(tmp) / "label_studio.sqlite3"
            if proc.returncode != 0 or not db.is_file():
                raise LabelStudioError(f"cannot migrate an empty Label Studio database: "
                                       f"{tail(proc.stderr or proc.stdout)}")
            template.parent.mkdir(exist_ok=True)
            shutil.copy(db, template.with_suffix(".tmp"))
            os.replace(template.with_suffix(".tmp"), template)
    return template


# --- start / stop --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_in_use_error(port: int) -> LabelStudioError:
    return LabelStudioError(
        f"port {port} on 127.0.0.1 is already in use (Label Studio would silently move to "
        f"another port); pick another one or stop what uses it")


def _check_port_free(port: int) -> None:
    """Fail before starting anything when the port is taken: Label Studio itself would move to
    the next port, or exit, depending on timing (both seen here)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # as servers do: a port in TIME_WAIT after our own last server is free; a listener is not
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            raise _port_in_use_error(port) from None


def server_env(data_dir: Path, creds: Credentials, base: dict[str, str] | None = None) -> dict:
    env = {k: v for k, v in (base if base is not None else os.environ).items()
           if k not in LEAKING_ENV and not k.startswith("LABEL_STUDIO_")}
    env.update(
        LABEL_STUDIO_BASE_DATA_DIR=str(data_dir),
        LABEL_STUDIO_USERNAME=creds.email,
        LABEL_STUDIO_PASSWORD=creds.password,
        LABEL_STUDIO_USER_TOKEN=creds.token,
        LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true",
        LABEL_STUDIO_COLLECT_ANALYTICS="false",
        LABEL_STUDIO_LATEST_VERSION_CHECK="false",
        LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true",
        SENTRY_DSN="",
        FRONTEND_SENTRY_DSN="",
        LABEL_STUDIO_SENTRY_DSN="",
        LABEL_STUDIO_FRONTEND_SENTRY_DSN="",
        PYTHONUNBUFFERED="1",
    )
    return env


def start_server(
    data_dir: Path,
    credentials: Credentials,
    port: int | None = None,
    executable: Path | None = None,
    timeout: float = 180.0,
) -> ServerHandle:
    """Start Label Studio detached (own session) and return once it answers on `port`."""
    exe = executable or ensure_server_venv()
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    _check_port_free(port)
    db = data_dir / "label_studio.sqlite3"
    if not db.exists():
        shutil.copy(ensure_db_template(exe), db)
    log_path = data_dir / "server.log"
    cmd = [str(exe), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
           "--data-dir", str(data_dir), "--log-level", "WARNING"]
    offset = log_path.stat().st_size if log_path.exists() else 0
    with open(log_path, "ab") as log:
        log.write(f"\n--- peacetalks: starting on 127.0.0.1:{port} at {time.ctime()} ---\n".encode())
        log.flush()
        proc = subprocess.Popen(cmd, env=server_env(data_dir, credentials), stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                cwd=data_dir)
    handle = ServerHandle(f"http://127.0.0.1:{port}", port, data_dir, proc.pid, log_path,
                          credentials, proc, offset)
    try:
        _wait_ready(handle, timeout)
    except BaseException:
        stop_server(handle)
        raise
    return handle


def _wait_ready(handle: ServerHandle, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=5.0) as http:
        while True:
            # Polled before the log is read: a server that wrote the line and then exited is
            # still reported as a busy port.
            exited = handle.process is not None and handle.process.poll() is not None
            # Someone took the port between our check and the server's bind.
            if f"Port {handle.port} is in use" in _new_log(handle):
                raise _port_in_use_error(handle.port)
            if exited:
                raise LabelStudioError(
                    f"Label Studio exited with status {handle.process.returncode} during start; "
                    f"log {handle.log_path}:\n{_log_tail(handle.log_path)}")
            if time.monotonic() > deadline:
                raise LabelStudioError(
                    f"Label Studio did not answer on {handle.base_url}/health within {timeout:.0f}s;"
                    f" log {handle.log_path}:\n{_log_tail(handle.log_path)}")
            try:
                if http.get(f"{handle.base_url}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        _verify_ours(handle, http)


def _verify_ours(handle: ServerHandle, http: httpx.Client) -> None:
    """/health answered, but maybe from someone else's server: Label Studio moves to the next
    port silently when ours was taken. Check that our process owns the listening socket and that
    our token identifies our admin."""
    owner = listening_pid(handle.port)
    if owner is not None and owner != handle.pid:
        raise LabelStudioError(
            f"port {handle.port} is served by another process (pid {owner}), not by our Label "
            f"Studio (pid {handle.pid}); log:\n{_log_tail(handle.log_path)}")
    r = http.get(f"{handle.base_url}/api/current-user/whoami",
                 headers={"Authorization": f"Token {handle.credentials.token}"})
    if r.status_code != 200 or r.json().get("email") != handle.credentials.email:
        raise LabelStudioError(
            f"Label Studio on {handle.base_url} does not accept our API token for "
            f"{handle.credentials.email} (HTTP {r.status_code}). Was the data dir "
            f"{handle.data_dir} created with other credentials?")


def listening_pid(port: int) -> int | None:
    """The pid owning the TCP socket listening on 127.0.0.1:`port` (Linux /proc), else None."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    if not inodes:
        return None
    for proc_dir in Path("/proc").iterdir():
        if not proc_dir.name.isdigit():
            continue
        try:
            for fd in (proc_dir / "fd").iterdir():
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(proc_dir.name)
        except OSError:
            continue
    return None


def stop_server(handle: ServerHandle, timeout: float = 15.0) -> None:
    stop_pid(handle.pid, timeout)
    if handle.process is not None:
        try:
            handle.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass


def stop_pid(pid: int, timeout: float = 15.0) -> bool:
    """SIGTERM the server's process group, then SIGKILL after `timeout`. False if not running."""
    if not _is_label_studio(pid):
        return False
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return True


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.waitpid(pid, os.WNOHANG)  # reap our own child, if it is one
    except ChildProcessError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False


def _is_label_studio(pid: int) -> bool:
    """Guard against a recycled pid: only signal a process that is a Label Studio server."""
    if not _alive(pid):
        return False
    try:
        return b"label-studio" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc: trust the pid file


# --- pid file (peacetalks ls serve / stop) ----------------------------------------------


def write_pidfile(path: Path, handle: ServerHandle) -> None:
    from .fsio import atomic_write_text

    atomic_write_text(path, json.dumps({"pid": handle.pid, "port": handle.port,
                                        "base_url": handle.base_url,
                                        "data_dir": str(handle.data_dir)}) + "\n")


def read_pidfile(path: Path) -> dict | None:
    try:
        info = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return info if _alive(int(info.get("pid", 0))) else None


def _new_log(handle: ServerHandle) -> str:
    try:
        with open(handle.log_path, "rb") as f:
            f.seek(handle.log_offset)
            return f.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _log_tail(path: Path, lines: int = 25) -> str:
    try:
        return tail(path.read_text(errors="replace"), lines)
    except OSError:
        return "(no log)"
