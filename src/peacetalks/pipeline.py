"""Declared steps with inputs and outputs; rerun only what changed (spaCy projects style).

Each step names the files it reads and writes and a code version. Its fingerprint is a hash over
its inputs' bytes and that version; a step runs when the fingerprint differs from the one recorded
after its last successful run, or when an output is missing. Fingerprints live in
.peacetalks/pipeline.json (local state, git-ignored).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import PeacetalksError
from .fsio import write_json
from .paths import Repo


@dataclass(frozen=True)
class Step:
    name: str
    help: str
    inputs: tuple[str, ...]  # globs relative to the repository root
    outputs: tuple[str, ...]  # paths relative to the repository root
    run: Callable[[Repo], str]  # returns a one-line summary
    version: Callable[[], str] = lambda: "1"
    needs: tuple[str, ...] = ()
    always: bool = False  # checks (validate) run every time they are asked for


@dataclass
class StepResult:
    name: str
    ran: bool
    summary: str
    reason: str = ""


@dataclass
class Pipeline:
    steps: dict[str, Step] = field(default_factory=dict)

    def add(self, step: Step) -> None:
        self.steps[step.name] = step

    def order(self, targets: list[str]) -> list[Step]:
        """The targets and everything they need, dependencies first."""
        seen: list[str] = []

        def visit(name: str) -> None:
            if name not in self.steps:
                raise PeacetalksError(f"unknown step {name!r}; steps: {', '.join(self.steps)}")
            for dep in self.steps[name].needs:
                visit(dep)
            if name not in seen:
                seen.append(name)

        for target in targets:
            visit(target)
        return [self.steps[n] for n in seen]


def fingerprint(repo: Repo, step: Step) -> str:
    digest = hashlib.sha256(f"{step.name}\0{step.version()}\0".encode())
    for pattern in step.inputs:
        for path in sorted(repo.root.glob(pattern)):
            if path.is_file() and not path.name.startswith("."):
                digest.update(str(path.relative_to(repo.root)).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _state_file(repo: Repo) -> Path:
    return repo.state_dir / "pipeline.json"


def _load_state(repo: Repo) -> dict[str, str]:
    try:
        return json.loads(_state_file(repo).read_text())
    except (OSError, ValueError):
        return {}


def run_steps(
    repo: Repo, pipeline: Pipeline, targets: list[str], force: bool = False
) -> list[StepResult]:
    """Run the targets' steps in order, skipping those whose inputs did not change."""
    state = _load_state(repo)
    results = []
    for step in pipeline.order(targets):
        fp = fingerprint(repo, step)
        missing = [o for o in step.outputs if not (repo.root / o).exists()]
        if not force and not step.always and not missing and state.get(step.name) == fp:
            results.append(StepResult(step.name, False, "up to date"))
            continue
        reason = (
            "forced" if force else "check" if step.always
            else f"missing {missing[0]}" if missing else "inputs changed"
        )
        summary = step.run(repo)
        # Outputs of this step are inputs of later ones: recompute after running.
        state[step.name] = fingerprint(repo, step)
        write_json(_state_file(repo), state)
        results.append(StepResult(step.name, True, summary, reason))
    return results
