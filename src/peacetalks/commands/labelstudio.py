"""`peacetalks ls ...`: the Label Studio workflow (thin wrappers over the library)."""

from __future__ import annotations

import click

from ..paths import Repo


@click.group(name="ls")
def ls_group() -> None:
    """Annotate in a real Label Studio: serve, push tasks, pull annotations.

    \b
    Example:
      peacetalks ls serve
      peacetalks ls push
      peacetalks ls pull
      peacetalks ls stop
    """


@ls_group.command()
def setup() -> None:
    """Install Label Studio into its own cached virtualenv and prepare an empty database.

    Idempotent; the venv is keyed by the hash of the pinned requirements
    (~/.cache/peacetalks/label-studio-<hash>, or $PEACETALKS_LS_VENV).

    \b
    Example:
      peacetalks ls setup
    """
    from ..ls_server import ensure_db_template
    from ..ls_venv import ensure_server_venv

    exe = ensure_server_venv()
    ensure_db_template(exe)
    click.echo(f"Label Studio ready: {exe}")


@ls_group.command()
@click.option("--port", type=int, default=None, help="Port on 127.0.0.1 (default: a free one).")
def serve(port: int | None) -> None:
    """Start Label Studio (own venv, 127.0.0.1, offline) and create/update the project.

    Data lives in .peacetalks/labelstudio/; the admin's credentials come from
    PEACETALKS_LS_EMAIL/_PASSWORD/_TOKEN or a generated .peacetalks/secrets.json (mode 0600).

    \b
    Example:
      peacetalks ls serve --port 8080
    """
    from ..ls_local import serve as do_serve

    repo = Repo.find()
    served = do_serve(repo, port)
    state = "already running" if served.already_running else "started"
    click.echo(f"Label Studio {state}: {served.base_url}/projects/{served.project_id}")
    click.echo(f"Log in as {served.email}; the password is in {repo.secrets_file} "
               "(or $PEACETALKS_LS_PASSWORD). Stop it with `peacetalks ls stop`.")


@ls_group.command()
def stop() -> None:
    """Stop the local Label Studio started by `peacetalks ls serve`.

    \b
    Example:
      peacetalks ls stop
    """
    from ..ls_local import stop as do_stop

    click.echo("Label Studio stopped." if do_stop(Repo.find()) else "Label Studio was not running.")


@ls_group.command()
def status() -> None:
    """Show whether the local Label Studio runs, and where.

    \b
    Example:
      peacetalks ls status
    """
    from ..ls_local import status as do_status

    info = do_status(Repo.find())
    click.echo("not running" if info is None else f"running: {info['base_url']} (pid {info['pid']})")


@ls_group.command()
@click.option("--no-predictions", is_flag=True, help="Do not attach rule-based pre-annotations.")
def push(no_predictions: bool) -> None:
    """Create a task for every cleaned document not yet in Label Studio.

    Pre-annotations are attached as predictions (model_version = the rule set). Running it twice
    creates nothing new. Documents whose text changed since they were pushed are reported.

    \b
    Example:
      peacetalks ls push
    """
    from ..ls_local import PROJECT_TITLE, connect_local
    from ..push import push as do_push
    from ..push import rule_prelabeler
    from ..store import load_documents
    from ..taxonomy import load_taxonomy

    repo = Repo.find()
    tax = load_taxonomy(repo.taxonomy_file)
    prelabeler = None if no_predictions else rule_prelabeler(tax, repo)
    with connect_local(repo) as ls:
        report = do_push(ls, ls.project_id(PROJECT_TITLE), load_documents(repo), tax, prelabeler)
    click.echo(f"{len(report.created)} task(s) created, {report.predictions} prediction(s), "
               f"{report.unchanged} already in Label Studio ({report.seconds:.1f}s).")
    for c in report.changed:
        click.echo(f"text changed: {c.doc_id} (task {c.task_id}): run `peacetalks ls reanchor`")
    for doc_id, ids in report.duplicates.items():
        click.echo(f"warning: {doc_id} has several tasks {ids}; delete the extra ones")


@ls_group.command()
@click.option("--full", is_flag=True, help="Re-read every task, not only those that changed.")
def pull(full: bool) -> None:
    """Write annotations/<doc_id>.json from Label Studio (incremental by default).

    All files are replaced together or not at all; annotators appear as pseudonyms only.

    \b
    Example:
      peacetalks ls pull
      peacetalks ls pull --full
    """
    from ..ls_local import PROJECT_TITLE, connect_local
    from ..pull import pull as do_pull
    from ..taxonomy import load_taxonomy

    repo = Repo.find()
    with connect_local(repo) as ls:
        r = do_pull(ls, ls.project_id(PROJECT_TITLE), repo, load_taxonomy(repo.taxonomy_file),
                    full=full)
    click.echo(f"{'full' if r.full else 'incremental'} pull: {r.exported} of {r.listed} task(s) "
               f"read, {len(r.written)} file(s) written, {len(r.removed)} removed, {r.passes} "
               f"pass(es), {r.skipped} skipped, {r.repairs} offset repair(s) ({r.seconds:.1f}s).")
    for doc_id in r.removed:
        click.echo(f"removed annotations/{doc_id}.json: its task is gone from Label Studio")
    for doc_id, n in sorted(r.disagreements.items()):
        click.echo(f"{doc_id}: no gold yet, {n} disagreement(s) to adjudicate")


@ls_group.command()
@click.option("--force", is_flag=True, help="Drop spans that cannot be mapped (each is reported).")
def reanchor(force: bool) -> None:
    """Move annotations onto documents whose cleaned text changed since they were pushed.

    Updates annotations/ and the Label Studio task and its annotations. Refuses (changing
    nothing) when a span cannot be mapped exactly, unless --force.

    \b
    Example:
      peacetalks ls reanchor
    """
    from ..ls_local import PROJECT_TITLE, connect_local
    from ..ls_reanchor import reanchor_tasks
    from ..store import load_documents
    from ..taxonomy import load_taxonomy

    repo = Repo.find()
    with connect_local(repo) as ls:
        reports = reanchor_tasks(ls, ls.project_id(PROJECT_TITLE), repo, load_documents(repo),
                                 load_taxonomy(repo.taxonomy_file), force=force)
    if not reports:
        click.echo("No document text changed since it was pushed.")
    for rep in reports:
        click.echo(rep.summary())


@ls_group.command()
@click.option("--reset", is_flag=True, help="Issue a new link; every earlier link stops working.")
def invite(reset: bool) -> None:
    """Print the sign-up link that lets a new annotator create their own account.

    Each annotator needs an account of their own: passes are attributed per account (as a
    pseudonym), and agreement needs two. Their e-mail stays on the Label Studio server.
    After their first pull, declare their pseudonym in annotations/annotators.yaml.

    \b
    Example:
      peacetalks ls invite
      peacetalks ls invite --reset
    """
    from ..ls_local import connect_local

    with connect_local(Repo.find()) as ls:
        click.echo(ls.invite_link(reset=reset))


@ls_group.command()
def agreement() -> None:
    """Inter-annotator agreement of documents with two or more passes, per layer, and the
    disagreements to adjudicate; written to .peacetalks/reports/agreement.{json,md}.

    Undefined figures (one pass, one category) are reported as such, never invented.

    \b
    Example:
      peacetalks ls agreement
    """
    from ..agreement import write_corpus_agreement

    json_path, md_path, report = write_corpus_agreement(Repo.find())
    click.echo(md_path.read_text(encoding="utf-8").rstrip())
    click.echo(f"written: {json_path}, {md_path}")


COMMANDS = [ls_group]
