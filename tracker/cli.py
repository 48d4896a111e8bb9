"""The `tracker` command line. Thin: it parses options and reports; the work is elsewhere."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import RoadmapError
from .roadmap import load_roadmap
from .summary import summarize

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def in_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def report_roadmap_error(error: RoadmapError) -> None:
    """Print every problem, as annotations too inside GitHub Actions, and exit with status 2."""
    for diagnostic in error.diagnostics:
        click.echo(str(diagnostic), err=True)
    if in_actions():
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.annotation())
    count = len(error.diagnostics)
    click.echo(f"{count} problem{'s' if count != 1 else ''} found; nothing was changed.", err=True)
    sys.exit(2)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="tracker")
def cli() -> None:
    """Run your study plan through GitHub Issues: milestones, topics, daily plans, retros."""


@cli.command()
@click.argument("path", default="roadmap.yml",
                type=click.Path(dir_okay=False, path_type=Path))
def validate(path: Path) -> None:
    """Check a roadmap file and summarize it; exit 2 listing every problem.

    \b
    Examples:
      tracker validate
      tracker validate examples/ai-engineer.yml
    """
    try:
        roadmap = load_roadmap(path)
    except RoadmapError as error:
        report_roadmap_error(error)
        return
    click.echo(f"{path}: valid")
    for line in summarize(roadmap):
        click.echo(f"  {line}")
