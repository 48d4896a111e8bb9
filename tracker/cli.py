"""The `tracker` command line. Thin: it parses options and reports; the work is elsewhere."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .diagnostics import RoadmapError
from .model import Roadmap
from .render import TemplateMissing
from .roadmap import load_roadmap
from .store import DEFAULT_PATH, Store, StoreError, open_store
from .store.base import Issue, StoreBadInput
from .store.local import LocalStore
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


class LogWaits:
    """Says each wait in the log as it begins; inside Actions the waits of one request are a
    collapsible log group, titled with the first."""

    def __init__(self, actions: bool) -> None:
        self.actions = actions
        self.grouped = False

    def waiting(self, text: str) -> None:
        if self.actions and not self.grouped:
            click.echo(f"::group::⏳ {text}")
            self.grouped = True
        else:
            click.echo(f"⏳ {text}", err=not self.actions)

    def resumed(self, text: str) -> None:
        click.echo(text, err=not self.actions)
        if self.grouped:
            click.echo("::endgroup::")
            self.grouped = False


def store_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options every command that reads or writes rows takes, bound to Actions' variables."""
    options = [
        click.option("--roadmap", "roadmap_path", default="roadmap.yml", show_default=True,
                     type=click.Path(dir_okay=False, path_type=Path),
                     help="The roadmap file."),
        click.option("--backend", type=click.Choice(["github", "local"]),
                     help="Where rows live. Default: github inside GitHub Actions, else local."),
        click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
                     default=DEFAULT_PATH, show_default=True,
                     help="The local store's database file."),
        click.option("--repo", "repository", envvar="GITHUB_REPOSITORY",
                     help="owner/name of the repository [env: GITHUB_REPOSITORY]."),
        click.option("--api-url", envvar="GITHUB_API_URL",
                     help="GitHub's API root [env: GITHUB_API_URL; default "
                          "https://api.github.com]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def connect(backend: str | None, db: Path, repository: str | None,
            api_url: str | None, now: dt.datetime | None = None) -> Store:
    """Open the store, saying which one; bad configuration exits 2.

    The local store stamps what it writes with `now`, so a simulated day (--now) looks in the
    store as it would have on GitHub that day.
    """
    chosen = backend or ("github" if in_actions() else "local")
    token = os.environ.get("GITHUB_TOKEN") or None  # read here, never echoed
    # Actions names the repository's id beside its name; it is known only for that repository.
    same = repository is not None and repository == os.environ.get("GITHUB_REPOSITORY")
    repository_id = os.environ.get("GITHUB_REPOSITORY_ID") if same else None
    try:
        store = open_store(chosen, token=token, repository=repository, api_url=api_url, db=db,
                           now=now, repository_id=repository_id,
                           waits=LogWaits(in_actions()))
    except StoreError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    where = f"GitHub ({repository})" if chosen == "github" else f"the local store at {db}"
    click.echo(f"Using {where}.", err=True)
    return store


def load_or_exit(path: Path, today: dt.date | None = None) -> Roadmap:
    """The roadmap with the learner's cards (`cards/` beside it); exit 2 listing every problem
    in either."""
    from . import render, repo_files
    from .card_files import FOLDER, read_cards

    render.use_templates(repo_files.find("templates", path))  # the fork's own templates
    try:
        return read_cards(path.parent / FOLDER, load_roadmap(path, today), base=path.parent)
    except RoadmapError as error:
        report_roadmap_error(error)
        raise  # unreachable: report_roadmap_error exits


def warn_about_the_schedule(roadmap: Roadmap, roadmap_path: Path) -> None:
    """After a roadmap edit (its push runs sync), say if the workflow's schedule no longer
    fits it; the run goes on: only `tracker validate` refuses."""
    from .workflow import check_workflow

    for problem in check_workflow(roadmap, roadmap_path.resolve().parent, dt.date.today()):
        click.echo(f"warning: {problem}", err=True)
        if in_actions():
            click.echo(problem.annotation().replace("::error ", "::warning ", 1))


def write_step_summary(title: str, lines: list[str]) -> None:
    """Append a section to the job summary Actions shows on the run's page."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(f"### {title}\n\n" + "\n".join(f"- {line.strip()}" for line in lines)
                     + "\n\n")


def fail(error: Exception) -> NoReturn:
    """One line, no traceback; 2 when the input was bad, 1 when the run failed."""
    click.echo(f"error: {error}", err=True)
    sys.exit(2 if isinstance(error, StoreBadInput | TemplateMissing) else 1)


def settle_start(roadmap: Roadmap, path: Path, now: dt.datetime, record: bool) -> Roadmap:
    """A plan with `start: auto` starts on the first run's local day, written into the file
    (unless `record` is off, as in a dry run) so that it never moves afterwards."""
    if not roadmap.schedule.start_auto:
        return roadmap
    from .startdate import record_start

    day = now.astimezone(roadmap.learner.tz).date()
    if record and record_start(path, day):
        click.echo(f"The plan starts today, {day}: written into {path} (schedule.start).",
                   err=True)
    return load_or_exit(path, today=day)


def run_job(title: str, roadmap_path: Path, backend: str | None, db: Path,
            repository: str | None, api_url: str | None, now_text: str | None,
            job: Callable[[Roadmap, Store, dt.datetime], Any], record: bool = True,
            check_schedule: bool = False) -> Any:
    """What every command that touches rows does around its job: load the roadmap (fixing a
    `start: auto` to today), open the store, hold it for the run, report each line, and turn
    failures into one line. `check_schedule`: warn if the workflow no longer fits it."""
    roadmap = load_or_exit(roadmap_path)
    if check_schedule:
        warn_about_the_schedule(roadmap, roadmap_path)
    now = parse_now(now_text, roadmap)
    roadmap = settle_start(roadmap, roadmap_path, now, record)
    store = connect(backend, db, repository, api_url, now if now_text else None)
    try:
        with store.lock():
            report = job(roadmap, store, now)
    except (StoreError, TemplateMissing) as error:
        fail(error)
    lines = report.lines() if callable(report.lines) else report.lines
    for line in lines:
        click.echo(line)
    write_step_summary(title, lines)
    return report


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
    from .workflow import check_workflow

    roadmap = load_or_exit(path)
    # The workflow beside the repository's own roadmap must run at the learner's hours.
    schedule = check_workflow(roadmap, path.resolve().parent, dt.date.today())
    if schedule:
        report_roadmap_error(RoadmapError(schedule))
    click.echo(f"{path}: valid")
    for line in summarize(roadmap):
        click.echo(f"  {line}")


@cli.command()
@store_options
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--checkout", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The checkout whose dashboard/state.json says what the "
                                      "last run read.")
@click.option("--full", is_flag=True, help="Read every issue, not only those changed since "
                                           "the last run (the same result).")
def sync(roadmap_path: Path, backend: str | None, db: Path, repository: str | None,
         api_url: str | None, dry_run: bool, checkout: Path, full: bool) -> None:
    """Compile the roadmap into labels, milestones and topic issues.

    Creates what is missing, updates only what the roadmap changed since the last sync, closes
    topics removed from the roadmap as not planned (and reopens them if they come back). Ticks,
    notes and titles the learner changed on GitHub are kept.

    \b
    Examples:
      tracker sync --dry-run
      tracker sync --backend local
    """
    from .sync import SyncReport
    from .sync import sync as run_sync

    def job(roadmap: Roadmap, store: Store, now: dt.datetime) -> SyncReport:
        def step(reading: Any) -> tuple[SyncReport, list[Issue] | None]:
            report = run_sync(roadmap, store, dry_run=dry_run, issues=reading.issues(),
                              ledger=reading.ledger)
            return report, None if dry_run else report.written

        return read_and_keep(store, roadmap, checkout, db, now, full, step)

    run_job("tracker sync" + (" (dry run)" if dry_run else ""), roadmap_path, backend, db,
            repository, api_url, None, job, record=not dry_run, check_schedule=True)


def read_and_keep(store: Store, roadmap: Roadmap, checkout: Path, db: Path, now: dt.datetime,
                  full: bool, step: Callable[[Any], tuple[Any, Any]]) -> Any:
    """Run `step` on the issues as they are now: those changed since the run that saved the
    dashboard's ledger (in the checkout, or beside the local store), the rest from that
    ledger (every issue with `full`, or without a ledger of this store); the ledger is saved
    with the issues the step wrote (see `reading.with_reading`)."""
    from .reading import with_reading

    tz = roadmap.learner.tz
    return with_reading(store, page_folder(store, checkout, db, None, False), tz,
                        now.astimezone(tz).date(), full, step)


def parse_now(value: str | None, roadmap: Roadmap) -> dt.datetime:
    """`--now`: an ISO 8601 moment; without an offset it is the learner's local time."""
    if value is None:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        click.echo(f"error: --now {value!r} is not an ISO 8601 date and time, e.g. "
                   f"2026-12-01T07:45 or 2026-12-01T07:45+08:00", err=True)
        sys.exit(2)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=roadmap.learner.tz)
    return moment


def learner_commits(roadmap: Roadmap, checkout: Path,
                    repository: str | None) -> dict[dt.date, int]:
    """The learner's commits per local day from the plan's start, from the checkout's git
    history; none if it has no history."""
    from .activity import (
        SHALLOW_WARNING,
        ActivityError,
        commits_by_day,
        is_shallow,
        learner_authors,
    )

    authors = learner_authors(repository, roadmap.learner.emails, checkout,
                              os.environ.get("GITHUB_SERVER_URL"))
    try:
        commits = commits_by_day(checkout, roadmap.learner.tz, since=roadmap.schedule.start,
                                 authors=authors)
    except ActivityError as error:
        click.echo(f"warning: commit activity left out: {error}", err=True)
        return {}
    if commits and is_shallow(checkout):
        click.echo(f"warning: {SHALLOW_WARNING}", err=True)
    return commits


now_option = click.option("--now", "now_text", metavar="ISO",
                          help="Act as if it were this moment (e.g. 2026-12-01T07:45; without "
                               "an offset, the learner's local time). Default: now.")
checkout_option = click.option("--checkout", type=click.Path(file_okay=False, path_type=Path),
                               default=".", show_default=True,
                               help="The git checkout whose history gives commit activity.")


def page_options(command: Callable[..., None]) -> Callable[..., None]:
    """Where the progress page goes: --out DIR, or --readme for the checkout's own README."""
    command = click.option(
        "--readme", is_flag=True,
        help="In local mode, write the page into the checkout's README.md, dashboard/ and "
             "progress.json, as on GitHub.")(command)
    return click.option(
        "--out", type=click.Path(file_okay=False, path_type=Path),
        help="The folder the page goes to (README.md, dashboard/, progress.json). Default: the "
             "checkout on GitHub; in local mode a folder of its own beside the local store, "
             "so tracked files never get local data.")(command)


def page_folder(store: Store, checkout: Path, db: Path, out: Path | None,
                readme: bool) -> Path:
    """Where this run's page goes: the checkout on GitHub, a folder of its own locally."""
    if out is not None:
        return out
    if store.name == "github" or readme:
        return checkout
    return db.parent / "page"


@cli.command()
@store_options
@now_option
@checkout_option
def daily(roadmap_path: Path, backend: str | None, db: Path, repository: str | None,
          api_url: str | None, now_text: str | None, checkout: Path) -> None:
    """Open today's plan if the morning has come and it is not open yet.

    Closes the plans of past days with their score first. Safe to run at any hour and
    again: it does only what is due.

    \b
    Examples:
      tracker daily
      tracker daily --now 2026-12-01T07:45
    """
    from .daily import DailyReport, open_daily_plan
    from .phone import plan_reaches_phone

    def job(roadmap: Roadmap, store: Store, now: dt.datetime) -> DailyReport:
        def step(reading: Any) -> tuple[DailyReport, list[Issue]]:
            report = open_daily_plan(roadmap, store, now,
                                     learner_commits(roadmap, checkout, repository),
                                     issues=reversed(reading.issues()))
            if report.opened is not None:
                report.lines += plan_reaches_phone(store, report.opened)
            opened = [report.opened] if report.opened else []
            return report, [*report.updated, *opened]

        return read_and_keep(store, roadmap, checkout, db, now, False, step)

    run_job("tracker daily", roadmap_path, backend, db, repository, api_url, now_text, job)


@cli.command()
@store_options
@now_option
@checkout_option
@click.option("--full", is_flag=True, help="Read every issue, not only those changed since "
                                           "the last run (the same result).")
def reconcile(roadmap_path: Path, backend: str | None, db: Path, repository: str | None,
              api_url: str | None, now_text: str | None, checkout: Path, full: bool) -> None:
    """Carry ticks from daily plans into topics; close what is finished.

    A topic whose boxes are all ticked is closed as completed, and a stage whose topics are
    all closed has its milestone closed. Nothing is ever unticked.
    """
    from .reconcile import ReconcileReport
    from .reconcile import reconcile as run_reconcile

    def job(roadmap: Roadmap, store: Store, now: dt.datetime) -> ReconcileReport:
        def step(reading: Any) -> tuple[ReconcileReport, list[Issue]]:
            report = run_reconcile(roadmap, store, reading.issues(), ledger=reading.ledger)
            return report, report.updated

        return read_and_keep(store, roadmap, checkout, db, now, full, step)

    run_job("tracker reconcile", roadmap_path, backend, db, repository, api_url, now_text, job)


@cli.command()
@store_options
@now_option
@checkout_option
def retro(roadmap_path: Path, backend: str | None, db: Path, repository: str | None,
          api_url: str | None, now_text: str | None, checkout: Path) -> None:
    """Open the week's retro once the retro time has come; close last week's.

    \b
    Examples:
      tracker retro
      tracker retro --now 2026-12-06T20:30
    """
    from .phone import assignment
    from .retro import RetroReport, open_retro

    def job(roadmap: Roadmap, store: Store, now: dt.datetime) -> RetroReport:
        def step(reading: Any) -> tuple[RetroReport, list[Issue]]:
            report = open_retro(roadmap, store, now,
                                learner_commits(roadmap, checkout, repository),
                                issues=reversed(reading.issues()))
            if report.opened is not None:
                report.lines += assignment(report.opened, store.owner)
            opened = [report.opened] if report.opened else []
            return report, [*report.updated, *opened]

        return read_and_keep(store, roadmap, checkout, db, now, False, step)

    run_job("tracker retro", roadmap_path, backend, db, repository, api_url, now_text, job)


@cli.command()
@store_options
@now_option
@checkout_option
@click.option("--full", is_flag=True, help="Rebuild from every issue instead of the changes "
                                           "since the last run (same result).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the dashboard is stale.")
@page_options
def dashboard(roadmap_path: Path, backend: str | None, db: Path, repository: str | None,
              api_url: str | None, now_text: str | None, checkout: Path, full: bool,
              check: bool, out: Path | None, readme: bool) -> None:
    """Refresh the progress section of README.md, its badges and charts, and progress.json.

    Files are written only when they change, so a workflow commits only real changes.

    \b
    Examples:
      tracker dashboard
      tracker dashboard --check
    """
    from .dashboard import run_dashboard

    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    repo_url = f"{server}/{repository}" if repository and "/" in repository else None
    report = run_job("tracker dashboard", roadmap_path, backend, db, repository, api_url,
                     now_text, lambda roadmap, store, now: run_dashboard(
                         roadmap, store, page_folder(store, checkout, db, out, readme), now,
                         learner_commits(roadmap, checkout, repository), full=full,
                         check=check, repo_url=repo_url))
    if check and report.changed:
        sys.exit(1)


@cli.command("tick")
@store_options
@now_option
@checkout_option
@page_options
@click.option("--full", is_flag=True, help="Read every issue, not only those changed since "
                                           "the last run (the same result), and rebuild "
                                           "dashboard/state.json from them.")
def tick_command(roadmap_path: Path, backend: str | None, db: Path, repository: str | None,
                 api_url: str | None, now_text: str | None, checkout: Path, out: Path | None,
                 readme: bool, full: bool) -> None:
    """The scheduled job: reconcile, sync if the roadmap changed, daily plan, retro, dashboard.

    Every step does only what is due, so it is safe to run every hour, and twice. It reads
    only the issues changed since the last run, and the rest from dashboard/state.json.

    \b
    Examples:
      tracker tick
      tracker tick --now 2026-12-01T07:45
      tracker tick --full
    """
    from . import repo_files
    from .tick import tick

    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    repo_url = f"{server}/{repository}" if repository and "/" in repository else None
    run_job("tracker tick", roadmap_path, backend, db, repository, api_url, now_text,
            lambda roadmap, store, now: tick(
                roadmap, store, now, root=page_folder(store, checkout, db, out, readme),
                roadmap_path=roadmap_path,
                templates=repo_files.find("templates", roadmap_path),
                commits=learner_commits(roadmap, checkout, repository), repo_url=repo_url,
                full=full))


@cli.command()
@click.option("--roadmap", "roadmap_path", default="roadmap.yml", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The roadmap file.")
@click.option("--days", default=14, show_default=True, type=click.IntRange(1, 400),
              help="How many days to play.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="demo",
              show_default=True, help="The folder to write into (replaced).")
@click.option("--now", "now_text", help="Play as if it were this moment (ISO 8601): a plan "
                                        "with start: auto starts that day. Default: now.")
def demo(roadmap_path: Path, days: int, out: Path, now_text: str | None) -> None:
    """Play a learner through the first days of the roadmap, offline, and show the result.

    A fresh local store, no token, no network: sync, a plan each morning, ticks on the
    phone, reconcile, the Sunday retro and the dashboard. Writes every issue as a Markdown
    file and the README with its dashboard into the --out folder.

    \b
    Examples:
      tracker demo
      tracker demo --days 30 --roadmap examples/internship-sprint.yml
    """
    from . import repo_files
    from .demo import play

    roadmap = load_or_exit(roadmap_path)
    # The demo plays in a store of its own: it never writes the start into the roadmap.
    roadmap = settle_start(roadmap, roadmap_path, parse_now(now_text, roadmap), record=False)
    try:
        report = play(roadmap, out, days, roadmap_path=roadmap_path,
                      templates=repo_files.find("templates", roadmap_path),
                      readme=repo_files.find("README.md", roadmap_path))
    except (StoreError, TemplateMissing) as error:
        fail(error)
    for line in report.lines:
        click.echo(line)


@cli.command("cards")
@store_options
@now_option
@click.option("--retired", "show_retired", is_flag=True,
              help="Also list retired cards (a deleted card, a problem gone from the roadmap).")
def cards_command(roadmap_path: Path, backend: str | None, db: Path, repository: str | None,
                  api_url: str | None, now_text: str | None, show_retired: bool) -> None:
    """List your cards: when each comes back for review, and how likely you recall it now.

    Cards are the problems you solved and the interview questions you answered in daily
    plans, and the cards you wrote in cards/. Reads the plans once; writes nothing.

    \b
    Examples:
      tracker cards
      tracker cards --backend github --retired
    """
    from .card_list import list_cards

    run_job("tracker cards", roadmap_path, backend, db, repository, api_url, now_text,
            lambda roadmap, store, now: list_cards(roadmap, store, now,
                                                   root=roadmap_path.parent,
                                                   show_retired=show_retired))


@cli.command("issues")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_PATH,
              show_default=True, help="The local store's database file.")
@click.option("--state", type=click.Choice(["open", "closed", "all"]), default="open",
              show_default=True)
@click.option("--label", help="Only issues with this label, e.g. daily-plan or topic.")
def list_issues(db: Path, state: str, label: str | None) -> None:
    """List the local store's issues, newest first (local mode only).

    \b
    Examples:
      tracker issues
      tracker issues --label daily-plan --state all
    """
    store = _local(db)
    for issue in store.issues_newest_first():
        if (state == "all" or issue.state == state) and (label is None or label in issue.labels):
            click.echo(f"#{issue.number:<4} {issue.state:<6} {issue.title}"
                       f"{_progress_note(issue)}")


@cli.command()
@click.argument("number", type=int)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_PATH,
              show_default=True, help="The local store's database file.")
def show(number: int, db: Path) -> None:
    """Print one issue of the local store, as Markdown (local mode only)."""
    from .demo import issue_markdown

    store = _local(db)
    try:
        click.echo(issue_markdown(store, store.get_issue(number)))
    except StoreError as error:
        fail(StoreBadInput(str(error)))


@cli.command()
@click.argument("number", type=int)
@click.argument("boxes", nargs=-1, required=True)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_PATH,
              show_default=True, help="The local store's database file.")
def check(number: int, boxes: tuple[str, ...], db: Path) -> None:
    """Tick boxes of an issue in the local store, as the GitHub app would (local mode only).

    BOXES are the ids in the box's <!-- item:… --> or <!-- step:… --> comment, or their
    positions in the issue (1 for the first box).

    \b
    Examples:
      tracker check 20 1 2
      tracker check 20 t:linux-ml-overview:read
    """
    from . import keys

    store = _local(db)
    try:
        issue = store.get_issue(number)
    except StoreError as error:
        fail(StoreBadInput(str(error)))
    parsed = keys.parse(issue.body)
    order = list(keys.boxes(parsed.block)) if parsed else []
    wanted = set()
    for box in boxes:
        if box.isdigit() and 1 <= int(box) <= len(order):
            wanted.add(order[int(box) - 1])
        elif box in order:
            wanted.add(box)
        else:
            click.echo(f"error: #{number} has no box {box!r}; it has {len(order)} "
                       f"(1–{len(order)}, or ids like {order[0] if order else '…'})", err=True)
            sys.exit(2)
    store.update_issue(number, body=keys.tick(issue.body, wanted))
    click.echo(f"Ticked {len(wanted)} box(es) in #{number}. Run `tracker reconcile` to carry "
               f"them into the topics.")


def _local(db: Path) -> LocalStore:
    if not db.exists():
        click.echo(f"error: no local store at {db}: run `tracker sync` first, or pass --db",
                   err=True)
        sys.exit(2)
    return LocalStore(db)


def _progress_note(issue: Issue) -> str:
    """` [done/total]` of a topic or plan; a retro's boxes are choices, not to-dos."""
    from . import keys
    from .state import WEEK, item_kind

    parsed = keys.parse(issue.body)
    boxes = keys.boxes(parsed.block) if parsed else {}
    if parsed is not None and parsed.key.kind == "retro":
        chosen = sum(1 for k, v in boxes.items() if v and item_kind(k) == WEEK)
        return f" [next week: {chosen} chosen]" if chosen else ""
    done, total = sum(boxes.values()), len(boxes)
    return f" [{done}/{total}]" if total else ""
