"""The `peacetalks` command: a thin layer. Each command is one library call; library errors
become one clean line on stderr and exit status 1 (usage errors: 2, click's convention)."""

from __future__ import annotations

import importlib
import os
import sys

import click

from .errors import PeacetalksError

# One module per stage owns its commands (see peacetalks/commands/).
COMMAND_MODULES = ("corpus", "schema", "labelstudio", "validate", "release", "pipeline")

# No network at run time: never let datasets/huggingface_hub/GE try to reach a hub.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GX_ANALYTICS_ENABLED": "false",
}


def set_offline_env() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


class PeacetalksGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PeacetalksError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            sys.exit(1)


@click.group(cls=PeacetalksGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="peacetalks")
def cli() -> None:
    """peacetalks: an annotated news corpus built as a Hugging Face dataset.

    \b
    Example:
      peacetalks ingest ~/Downloads/article.html
      peacetalks build --out dist/peacetalks
    """


for _name in COMMAND_MODULES:
    _module = importlib.import_module(f"peacetalks.commands.{_name}")
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    set_offline_env()
    cli(prog_name="peacetalks")


if __name__ == "__main__":
    main()
