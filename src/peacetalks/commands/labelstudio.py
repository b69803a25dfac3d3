"""CLI commands of this stage (thin wrappers over the library)."""

import click  # noqa: F401

COMMANDS: list = []
