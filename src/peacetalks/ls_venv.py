"""Label Studio's own virtualenv: built once from the pinned, hash-locked
`data/label-studio-requirements.txt`, in a cache folder keyed by the lock's hash.

Label Studio pins libraries (pyarrow<25, an old pytz) that would break the project's
environment, so it never shares the project's venv. Every checkout (and every CI run with a warm
cache) reuses the same folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import LabelStudioError

REQUIREMENTS = Path(__file__).with_name("data") / "label-studio-requirements.txt"
VENV_ENV = "PEACETALKS_LS_VENV"
READY_MARKER = ".peacetalks-ready"


def requirements_hash() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]


def default_venv_dir() -> Path:
    if os.environ.get(VENV_ENV):
        return Path(os.environ[VENV_ENV]).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "peacetalks" / f"label-studio-{requirements_hash()}"


def _executable(venv: Path) -> Path:
    return venv / "bin" / "label-studio"


def ensure_server_venv(venv: Path | None = None, quiet: bool = False) -> Path:
    """Return the `label-studio` executable, creating its venv from the lock when missing.

    A file lock serialises concurrent callers (parallel test sessions); a marker written last
    tells a finished venv from one interrupted mid-install, which is rebuilt."""
    venv = (venv or default_venv_dir()).resolve()
    exe = _executable(venv)
    if (venv / READY_MARKER).is_file() and exe.is_file():
        return exe
    if os.environ.get(VENV_ENV) and exe.is_file() and not (venv / READY_MARKER).exists():
        # A venv the user pointed us at and built themselves: trust it as is.
        return exe
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / f".{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (venv / READY_MARKER).is_file() and exe.is_file():
            return exe
        shutil.rmtree(venv, ignore_errors=True)
        _build_venv(venv, quiet)
        (venv / READY_MARKER).write_text(requirements_hash() + "\n")
    return exe


def _build_venv(venv: Path, quiet: bool) -> None:
    uv = shutil.which("uv")
    if uv:
        steps = [
            [uv, "venv", "--quiet", "--python", sys.executable, str(venv)],
            [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
             "--require-hashes", "-r", str(REQUIREMENTS)],
        ]
    else:
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
             "--require-hashes", "-r", str(REQUIREMENTS)],
        ]
    from rich.console import Console

    console = Console(stderr=True, quiet=quiet)
    with console.status(f"Installing Label Studio into {venv} (once; about a minute)"):
        for cmd in steps:
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                raise LabelStudioError(
                    f"cannot create the Label Studio venv at {venv}: {' '.join(cmd[:3])} failed "
                    f"(exit {proc.returncode}): {tail(proc.stderr or proc.stdout)}"
                )


def tail(text: str, lines: int = 25) -> str:
    """The last lines of a subprocess's output, for error messages."""
    return "\n".join((text or "").strip().splitlines()[-lines:])
