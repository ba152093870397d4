"""The command line: parse, call the library, print, exit. Nothing else."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from cleanup.apply import apply_edits
from cleanup.diff import unified_diff
from cleanup.edit import Edit, Kind, Safety
from cleanup.engine import Engine, FixOptions, id_matches
from cleanup.errors import CleanupError, InputError
from cleanup.lint import check_rules
from cleanup.names import dropped_forms, find_entries
from cleanup.report import EXIT_ERROR, Report
from cleanup.review import (
    Choice,
    Decisions,
    Proposal,
    Review,
    accepted_edits,
    exception_text,
    proposals,
)
from cleanup.ruleset import builtin_pack_paths, cache, load_rules
from cleanup.ruleset.load import display_path, rule_files
from cleanup.ruleset.model import RuleSet
from cleanup.ruleset.write import RuleFile
from cleanup.ruletest import run_examples
from cleanup.runner import (
    DiffStyle,
    FileJob,
    FileOutcome,
    RunPlan,
    WriteBack,
    count_findings,
    default_workers,
    render_diff,
    run_files,
)
from cleanup.suggest import calque_candidates, name_clusters, render_pack
from cleanup.textio import (
    DEFAULT_INCLUDE,
    AtomicWriter,
    decode_chunks,
    read_chunks,
    split_lines,
    walk,
    write_text_atomic,
)

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Print a CleanupError as one line and exit 2 (the single top-level handler)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CleanupError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cleanup")
def cli() -> None:
    """Clean up English machine translations of Russian news.

    Rule packs in YAML fix calques, transliterated and inconsistent names, Russian forms
    of address, misplaced quotes and scraping leftovers; every change is written as a
    reviewable patch.
    """


def rules_options(func: F) -> F:
    """--rules and --no-default-rules, shared by the commands that load rules."""
    func = click.option(
        "--no-cache",
        is_flag=True,
        expose_value=False,
        callback=lambda _ctx, _param, value: cache.disable() if value else None,
        help="Read every rule file afresh, not from the cache of files read before.",
    )(func)
    func = click.option(
        "--no-default-rules",
        is_flag=True,
        help="Do not load the rule packs bundled with cleanup.",
    )(func)
    return click.option(
        "--rules",
        "rule_paths",
        multiple=True,
        type=click.Path(path_type=Path),
        help="A rule file or folder of rule files to add (repeatable).",
    )(func)


def output_options(written: str, in_place_help: str) -> Callable[[F], F]:
    """Where a command's results go: --out or --in-place."""

    def decorate(func: F) -> F:
        func = click.option(
            "--follow-links",
            is_flag=True,
            help="With --in-place, also rewrite files that links found in a folder point to "
            "outside that folder.",
        )(func)
        func = click.option("--in-place", is_flag=True, help=in_place_help)(func)
        return click.option(
            "--out",
            "out_dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("cleaned"),
            show_default=True,
            help=f"Folder for {written} (mirroring the input paths) and cleanup.patch.",
        )(func)

    return decorate


def include_option(func: F) -> F:
    """Which files of the folders a command is given it reads."""
    return click.option(
        "--include",
        multiple=True,
        help=f"File name patterns picked up in folders [default: {' '.join(DEFAULT_INCLUDE)}].",
    )(func)


def load_ruleset(
    rule_paths: tuple[Path, ...], no_default_rules: bool, options: FixOptions | None = None
) -> RuleSet:
    """The bundled packs (unless dropped) followed by the user's, less ignored rules."""
    paths = [] if no_default_rules else builtin_pack_paths()
    paths.extend(rule_paths)
    if not paths:
        msg = "no rules: --no-default-rules needs at least one --rules PATH"
        raise CleanupError(msg)
    return load_rules(paths, keep=options.wants if options else None)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_options("the cleaned copies", "Rewrite the input files (atomically).")
@click.option("--diff", "show_diff", is_flag=True, help="Print the diff; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when an edit would be applied.")
@click.option(
    "--accept-review",
    is_flag=True,
    help="Also apply edits whose rules ask for review (still never 'suggest' ones).",
)
@click.option("--select", multiple=True, help="Only these rule ids or packs (repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rule ids or packs (repeatable).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a summary on stderr; json: every edit as JSON on stdout.",
)
@click.option(
    "--diff-format",
    type=click.Choice(["auto", "unified", "words"]),
    default="auto",
    show_default=True,
    help="For --diff: auto is coloured words on a terminal and a unified diff otherwise.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Files processed in parallel [default: the number of cores].",
)
@include_option
@click.option(
    "--grammar",
    "grammar_mode",
    type=click.Choice(["off", "on", "required"]),
    default="off",
    flag_value="on",
    is_flag=False,
    help="Check grammar with LanguageTool (pip install 'cleanup[grammar]'); its matches are "
    "suggestions. 'on' goes on without it when it cannot run; 'required' stops (exit 2).",
)
@click.option(
    "--languagetool-url",
    envvar="CLEANUP_LANGUAGETOOL_URL",
    help="A LanguageTool server to use instead of a local one [env: CLEANUP_LANGUAGETOOL_URL].",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a self-contained HTML page with every edit shown in its text.",
)
@rules_options
@handle_errors
def fix(
    paths: tuple[Path, ...],
    out_dir: Path,
    in_place: bool,
    follow_links: bool,
    show_diff: bool,
    check: bool,
    accept_review: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    diff_format: str,
    jobs: int | None,
    include: tuple[str, ...],
    grammar_mode: str,
    languagetool_url: str | None,
    report_path: Path | None,
    rule_paths: tuple[Path, ...],
    no_default_rules: bool,
) -> None:
    """Clean files and folders; '-' reads standard input and writes standard output.

    By default cleaned copies go to --out (default cleaned/) with cleanup.patch, a
    unified diff that `git apply` or `patch -p1` applies to the originals. Exit status:
    0 done, 1 edits found under --check, 2 bad usage or bad input.
    """
    if in_place and (show_diff or check):
        raise click.UsageError("--in-place cannot be combined with --diff or --check")
    if show_diff and output_format == "json":
        raise click.UsageError("--diff and --format json both print to stdout; pick one")
    accept = {Safety.AUTO, Safety.REVIEW} if accept_review else {Safety.AUTO}
    options = FixOptions(accept=frozenset(accept), select=select, ignore=ignore)
    ruleset = load_ruleset(rule_paths, no_default_rules, options)
    dynamic = ("fuzzy", "languagetool", "names")  # ids of findings made without a pack rule
    for selector in select:
        if not selector.startswith(dynamic) and not any(
            id_matches(r.id, selector) for r in ruleset.rules
        ):
            click.echo(
                f"warning: --select {selector}: no loaded rule has that id or pack", err=True
            )
    engine = make_engine(ruleset, grammar_mode, languagetool_url)
    # The compiled rules live for the whole run: keep the collector from rescanning them
    # after every file (with tens of thousands of rules that is most of its work).
    gc.freeze()
    if engine.grammar is not None and engine.grammar.url is None:
        # A LanguageTool that language-tool-python starts lives in this process only;
        # a server at a URL is shared by every worker.
        jobs = 1
    style = _diff_style(show_diff, diff_format)
    if paths == (Path("-"),):
        sys.exit(_fix_stdin(engine, options, show_diff, check, output_format, style))
    if Path("-") in paths:
        raise click.UsageError("'-' (standard input) cannot be mixed with files")
    if show_diff or check:
        write_back = WriteBack.DIFF if show_diff else WriteBack.CHECK
    else:
        write_back = WriteBack.IN_PLACE if in_place else WriteBack.OUT_DIR
    if write_back is WriteBack.OUT_DIR:
        style = DiffStyle.UNIFIED
    plan = RunPlan(
        write_back=write_back,
        options=options,
        out_dir=out_dir if write_back is WriteBack.OUT_DIR else None,
        diff_style=style,
        keep_findings=output_format == "json" or report_path is not None,
    )
    writes_patch = write_back is WriteBack.OUT_DIR
    file_jobs, missing = collect_inputs(
        paths,
        include or DEFAULT_INCLUDE,
        out_dir,
        patch=writes_patch,
        in_place=write_back is WriteBack.IN_PLACE,
        follow_links=follow_links,
    )
    check_outputs(paths, file_jobs, out_dir if writes_patch else None, report_path)
    with _diff_parts() as parts:
        if style is not DiffStyle.NONE:
            file_jobs = [
                FileJob(job.path, job.label, Path(parts) / f"{i:08}.diff")
                for i, job in enumerate(file_jobs)
            ]
        outcomes = list(missing)
        for outcome in run_files(engine, file_jobs, plan, jobs or default_workers()):
            outcomes.append(outcome)
            if write_back is WriteBack.DIFF and outcome.has_diff:
                _copy_to(outcome.job.diff_part, sys.stdout)
        patch = None
        if write_back is WriteBack.OUT_DIR and any(not o.error for o in outcomes):
            patch = out_dir / "cleanup.patch"
            try:
                _write_patch(patch, [o.job.diff_part for o in outcomes if o.has_diff])
            except CleanupError as exc:
                outcomes.append(FileOutcome(FileJob(patch, str(patch)), error=str(exc)))
                patch = None
    if report_path is not None:
        from cleanup.html_report import write_report

        try:
            write_report(report_path, outcomes)
        except CleanupError as exc:
            outcomes.append(FileOutcome(FileJob(report_path, str(report_path)), error=str(exc)))
    report = Report(outcomes, {r.id: r.source for r in engine.rules.rules})
    verb = {
        WriteBack.OUT_DIR: "changed",
        WriteBack.IN_PLACE: "rewritten",
        WriteBack.DIFF: "would change",
        WriteBack.CHECK: "would change",
    }[write_back]
    if output_format == "json":
        click.echo(report.to_json(), nl=False)
        for outcome in report.errors:  # errors are on stderr whatever the format
            click.echo(f"error: {outcome.error}", err=True)
    else:
        out = out_dir if write_back is WriteBack.OUT_DIR else None
        click.echo(report.summary(verb=verb, out_dir=out, patch=patch), err=True, nl=False)
    sys.exit(report.return_code(check=check))


@contextlib.contextmanager
def _diff_parts() -> Iterator[str]:
    """A private folder for the files' diffs, removed at the end; folders that killed runs
    left (their process is gone) are removed first."""
    prefix = "cleanup-diffs-"
    with contextlib.suppress(OSError):
        for entry in Path(tempfile.gettempdir()).glob(f"{prefix}*-*"):
            pid = entry.name[len(prefix) :].split("-", 1)[0]
            if pid.isdigit() and not _process_alive(int(pid)) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-") as parts:
        yield parts


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _copy_to(part: Path | None, stream: TextIO) -> None:
    assert part is not None
    with part.open(encoding="utf-8", newline="") as handle:
        for piece in iter(lambda: handle.read(1 << 20), ""):
            click.echo(piece, nl=False, file=stream)


def _write_patch(patch: Path, parts: list[Path | None]) -> None:
    """Join the files' diffs into one patch, atomically."""
    writer = AtomicWriter(patch)
    try:
        for part in parts:
            assert part is not None
            with part.open(encoding="utf-8", newline="") as handle:
                for piece in iter(lambda: handle.read(1 << 20), ""):
                    writer.write(piece)
        writer.commit()
    except BaseException:
        writer.discard()
        raise


def make_engine(ruleset: RuleSet, grammar_mode: str, url: str | None) -> Engine:
    """The compiled rules, with LanguageTool when asked and when it can run."""
    if grammar_mode == "off":
        return Engine(ruleset)
    from cleanup.matchers.grammar import GrammarConfig, GrammarUnavailable

    try:
        return Engine(ruleset, grammar=GrammarConfig(url=url))
    except GrammarUnavailable as exc:
        if grammar_mode == "required":
            raise
        click.echo(f"warning: grammar check skipped: {exc}", err=True)
        return Engine(ruleset)


def _diff_style(show_diff: bool, diff_format: str) -> DiffStyle:
    if not show_diff:
        return DiffStyle.NONE
    if diff_format == "unified":
        return DiffStyle.UNIFIED
    tty = sys.stdout.isatty()
    if diff_format == "words":
        return DiffStyle.WORDS_COLOR if tty else DiffStyle.WORDS
    return DiffStyle.WORDS_COLOR if tty else DiffStyle.UNIFIED


def _fix_stdin(
    engine: Engine,
    options: FixOptions,
    show_diff: bool,
    check: bool,
    output_format: str,
    style: DiffStyle,
) -> int:
    """'-': clean standard input to standard output (or its diff), summary on stderr."""
    job = FileJob(Path("-"), "-")
    if not show_diff and output_format != "json":
        # Streamed: the cleaned text is written block by block as it is settled.
        out = sys.stdout.buffer

        def write(piece: str) -> None:
            if not check:
                out.write(piece.encode("utf-8"))

        result = engine.fix_stream(_stdin_chunks(), write, options)
        sys.stdout.flush()
        outcome = FileOutcome(job, count_findings(result.findings))
        report = Report([outcome], {r.id: r.source for r in engine.rules.rules})
        verb = "would change" if check else "changed"
        click.echo(report.summary(verb=verb, out_dir=None, patch=None), err=True, nl=False)
        return report.return_code(check=check)
    text = "".join(_stdin_chunks())
    result = engine.fix_text(text, options)
    outcome = FileOutcome(job, count_findings(result.findings), result.findings)
    report = Report([outcome], {r.id: r.source for r in engine.rules.rules})
    if output_format == "json":
        click.echo(report.to_json(), nl=False)
        return report.return_code(check=check)
    plan = RunPlan(write_back=WriteBack.DIFF, options=options, diff_style=style)
    for piece in render_diff("-", split_lines(text), result.applied, plan):
        click.echo(piece, nl=False)
    click.echo(report.summary(verb="would change", out_dir=None, patch=None), err=True, nl=False)
    return report.return_code(check=check)


def _stdin_chunks() -> Iterator[str]:
    """Standard input as UTF-8 text, piece by piece; empty input is an empty text."""
    try:
        yield from decode_chunks(sys.stdin.buffer, "<stdin>")
    except InputError as exc:
        if "empty file" not in exc.message:
            raise


def collect_inputs(
    paths: tuple[Path, ...],
    include: tuple[str, ...],
    out_dir: Path,
    *,
    patch: bool = False,
    in_place: bool = False,
    follow_links: bool = False,
) -> tuple[list[FileJob], list[FileOutcome]]:
    """Files to clean, in order, each once; what cannot be cleaned as errors.

    Errors: a missing path, a folder with no text files, a folder that cannot be read;
    with ``patch``, a file outside the working folder (the patch, applied from here, could
    not name it); with ``in_place``, a file that a link found in a folder points to outside
    that folder, unless ``follow_links``.
    """
    jobs: list[FileJob] = []
    errors: list[FileOutcome] = []
    seen: set[str] = set()

    def refuse(path: Path | str, message: str) -> None:
        err = CleanupError(message, str(path))
        errors.append(FileOutcome(FileJob(Path(path), str(path)), error=str(err)))

    here = os.path.realpath(Path.cwd())
    for path in paths:
        root = None
        if path.is_dir():
            unreadable: list[OSError] = []
            found = list(walk(path, include, skip=(out_dir,), errors=unreadable))
            for exc in unreadable:
                refuse(exc.filename or path, f"cannot read folder: {exc.strerror}")
            if not found and not unreadable:
                refuse(path, f"no text files ({' '.join(include)}) in this folder")
            root = os.path.realpath(path)
        elif path.is_file():
            found = [path]
        elif os.path.lexists(path):
            refuse(path, "cannot read: a link that points nowhere (or to itself)")
            continue
        else:
            refuse(path, "no such file or folder")
            continue
        for file in found:
            real = os.path.realpath(file)
            if real in seen:
                continue
            seen.add(real)
            if in_place and root is not None and not follow_links and not _inside(real, root):
                refuse(
                    file,
                    f"a link to {real}, outside {path}: not rewritten in place "
                    "(--follow-links to clean it)",
                )
                continue
            if _inside(real, here):
                label = Path(os.path.relpath(real, here)).as_posix()
            elif patch:
                refuse(
                    file,
                    f"{real} is outside the working folder {here}, so cleanup.patch could not "
                    "name it; run cleanup from a folder that holds it (or use --in-place)",
                )
                continue
            else:
                label = real.lstrip("/")
            jobs.append(FileJob(file, label))
    return jobs, errors


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_outputs(
    paths: tuple[Path, ...], jobs: list[FileJob], out_dir: Path | None, report: Path | None
) -> None:
    """Refuse, before anything is written, outputs that would overwrite inputs: an out
    folder that is or holds an input, a report that is an input."""
    if out_dir is not None:
        out = os.path.realpath(out_dir)
        for path in paths:
            if Path(path).exists() and _inside(os.path.realpath(path), out):
                msg = f"the output folder would hold the input {path}; choose another --out"
                raise CleanupError(msg, str(out_dir))
    if report is not None:
        target = os.path.realpath(report)
        inputs = {os.path.realpath(p) for p in paths} | {os.path.realpath(j.path) for j in jobs}
        if target in inputs:
            raise CleanupError(
                "--report would overwrite an input; choose another path", str(report)
            )


def patch_label(path: Path) -> str:
    """The path as the patch and the out folder name it: relative to here when inside.

    >>> patch_label(Path("samples/a.txt"))
    'samples/a.txt'
    """
    absolute = os.path.realpath(path)
    here = os.path.realpath(Path.cwd())
    if _inside(absolute, here):
        return Path(os.path.relpath(absolute, here)).as_posix()
    return absolute.lstrip("/")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_options("the accepted result", "Write the accepted result over the inputs.")
@click.option(
    "--decisions",
    "decisions_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("cleanup-decisions.json"),
    show_default=True,
    help="Where decisions are saved as they are made, and replayed from on the next run.",
)
@click.option("--accept", multiple=True, help="Accept edits of these rule ids or packs.")
@click.option("--reject", multiple=True, help="Reject edits of these rule ids or packs.")
@click.option(
    "--rules-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your rule file, where 'always' decisions go (never the bundled packs).",
)
@include_option
@rules_options
@handle_errors
def review(
    paths: tuple[Path, ...],
    out_dir: Path,
    in_place: bool,
    follow_links: bool,
    decisions_path: Path,
    accept: tuple[str, ...],
    reject: tuple[str, ...],
    rules_file: Path | None,
    include: tuple[str, ...],
    rule_paths: tuple[Path, ...],
    no_default_rules: bool,
) -> None:
    """Go through every proposed edit (auto, review and suggest) and accept, reject or edit
    it; write the accepted result as 'fix' does, with its patch.

    Keys: y accept, n reject, e edit, a/r accept/reject every edit of the rule, N reject
    and add an exception to --rules-file, E edit and add the fix to --rules-file, u undo,
    q quit. Decisions are saved as you go; run again to resume. Without a terminal, only
    --accept, --reject and saved decisions decide, and undecided edits are left out.
    """
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    decisions = Decisions.load(decisions_path)
    if not interactive and not (accept or reject or decisions.edits or decisions.rules):
        msg = (
            "no terminal to ask on: decide with --accept/--reject RULE_ID or a --decisions "
            "file (as written by an earlier review)"
        )
        raise CleanupError(msg)
    own = (rules_file,) if rules_file is not None and rules_file.exists() else ()
    ruleset = load_ruleset(rule_paths + own, no_default_rules)
    engine = Engine(ruleset)
    file_jobs, missing = collect_inputs(
        paths,
        include or DEFAULT_INCLUDE,
        out_dir,
        patch=not in_place,
        in_place=in_place,
        follow_links=follow_links,
    )
    check_outputs(paths, file_jobs, None if in_place else out_dir, None)
    grow = RuleGrower(
        rules_file, [*([] if no_default_rules else builtin_pack_paths()), *rule_paths]
    )
    session = Review(decisions, accept, reject, terminal_prompt if interactive else None, grow.grow)
    outcomes = list(missing)
    reviewed: list[tuple[FileJob, str, list[Edit]]] = []
    totals = {"accepted": 0, "rejected": 0, "undecided": 0}
    for job in file_jobs:
        try:
            text = "".join(read_chunks(job.path))
        except CleanupError as exc:
            outcomes.append(FileOutcome(job, error=str(exc)))
            continue
        grow.texts[job.label] = text
        items = proposals(engine, job.label, text)
        decided = session.run(items)
        edits = accepted_edits(items, decided)
        totals["accepted"] += len(edits)
        totals["rejected"] += sum(1 for d in decided.values() if not d.accept)
        totals["undecided"] += len(items) - len(decided)
        reviewed.append((job, text, edits))
        if session.quit:
            break
    for note in session.notes:
        click.echo(note, err=True)
    counts = ", ".join(f"{n} {what}" for what, n in totals.items())
    if session.quit:
        # Quitting writes nothing, so that it never replaces what an earlier review wrote.
        click.echo(
            f"{counts}; quit: nothing written; decisions in {decisions_path} (run again to resume)",
            err=True,
        )
        sys.exit(EXIT_ERROR if any(o.error for o in outcomes) else 0)
    diffs: list[str] = []
    for job, text, edits in reviewed:
        outcomes.append(_write_reviewed(job, text, edits, out_dir, in_place, diffs))
    patch = None
    if not in_place:
        patch = out_dir / "cleanup.patch"
        try:
            write_text_atomic(patch, "".join(diffs))
        except CleanupError as exc:
            outcomes.append(FileOutcome(FileJob(patch, str(patch)), error=str(exc)))
            patch = None
    click.echo(f"{counts}; decisions in {decisions_path}", err=True)
    if patch is not None:
        click.echo(f"patch: {patch}", err=True)
    for outcome in outcomes:
        if outcome.error:
            click.echo(f"error: {outcome.error}", err=True)
    sys.exit(EXIT_ERROR if any(o.error for o in outcomes) else 0)


def _write_reviewed(
    job: FileJob, text: str, edits: list[Edit], out_dir: Path, in_place: bool, diffs: list[str]
) -> FileOutcome:
    """Write one reviewed file (as ``fix`` does: a link in place has its target rewritten)
    and keep its diff for the patch."""
    result = apply_edits(text, edits)
    target = job.path.resolve() if in_place else out_dir / job.label
    if not in_place or edits:
        try:
            writer = (
                AtomicWriter(target, durable=True, keep_from=target, shown=job.path)
                if in_place
                else AtomicWriter(target, mode_from=job.path)
            )
            try:
                writer.write(result)
                writer.commit()
            except BaseException:
                writer.discard()
                raise
        except CleanupError as exc:
            return FileOutcome(job, error=str(exc))
    diffs.append("".join(unified_diff(job.label, split_lines(text), edits)))
    return FileOutcome(job, output=target)


class RuleGrower:
    """Writes 'always' decisions into the reviewer's rule file."""

    def __init__(self, path: Path | None, context: list[Path]) -> None:
        self.path = path
        self.context = [p for p in context if path is None or p.resolve() != path.resolve()]
        self.texts: dict[str, str] = {}

    def grow(self, item: Proposal, choice: Choice, replacement: str | None) -> str:
        if self.path is None:
            return f"{item.label}:{item.line}: decided for this run only (no --rules-file)"
        rule_file = RuleFile(self.path, self.context)
        edit = item.edit
        if choice is Choice.REJECT_ALWAYS:
            rule_id = edit.rule_id.removeprefix("fuzzy.")
            around = exception_text(self.texts[item.label], edit)
            rule_file.add_exception(rule_id, around)
            what = f"exception for {rule_id}: {around!r}"
        elif edit.kind in (Kind.NAME, Kind.FUZZY):
            added = rule_file.add_name(
                replacement or edit.replacement,
                category=None,
                variants=[edit.original],
                surname=None,
                overrides=edit.rule_id.removeprefix("fuzzy."),
            )
            what = f"variant {edit.original!r} of {added}"
        else:
            lead = item.before[-20:].split(" ", 1)[-1] if " " in item.before[-20:] else ""
            example = (lead + edit.original, lead + (replacement or ""))
            added = rule_file.add_phrase(
                edit.original, replacement or "", example=example, overrides=edit.rule_id
            )
            what = f"phrase rule {added}"
        try:
            rule_file.save()
        except CleanupError as exc:
            return f"{self.path}: not added ({exc.message})"
        return f"{self.path}: added {what}"


def terminal_prompt(item: Proposal, number: int, total: int) -> tuple[Choice, str | None]:
    """Show one proposal in its context and read a key."""
    edit = item.edit
    score = f", score {edit.confidence:.2f}" if edit.confidence < 1 else ""
    click.echo()
    click.secho(f"[{number}/{total}] {item.label}:{item.line}:{item.column}", bold=True)
    click.echo(f"  {edit.rule_id} ({edit.safety.value}{score})  {edit.source}")
    if edit.message:
        click.echo(f"  {edit.message}")
    shown = (
        item.before.replace("\n", " ")
        + click.style(edit.original, fg="red", strikethrough=True)
        + click.style(edit.replacement, fg="green", bold=True)
        + item.after.replace("\n", " ")
    )
    click.echo(f"  ...{shown}...")
    click.echo(
        "  [y]es [n]o [e]dit [a]ll of rule [r]eject rule [N]ever here [E]dit always "
        "[u]ndo [q]uit: ",
        nl=False,
    )
    while True:
        key = click.getchar()
        try:
            choice = Choice(key)
        except ValueError:
            continue
        click.echo(key)
        if choice in (Choice.EDIT, Choice.EDIT_ALWAYS):
            return choice, click.prompt("  replacement", default=edit.replacement)
        return choice, None


@cli.command()
@click.argument("corpus", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the candidate pack here (atomically) instead of printing it.",
)
@click.option(
    "--pack",
    "pack_name",
    default="candidates",
    show_default=True,
    help="Name of the candidate pack.",
)
@click.option(
    "--min-count",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="How often a word pair must occur to be a calque candidate.",
)
@click.option(
    "--with-default-rules", is_flag=True, help="Skip name spellings the bundled packs already fix."
)
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Skip name spellings these rule files already fix (repeatable).",
)
@include_option
@handle_errors
def suggest(
    corpus: tuple[Path, ...],
    output: Path | None,
    pack_name: str,
    min_count: int,
    with_default_rules: bool,
    rule_paths: tuple[Path, ...],
    include: tuple[str, ...],
) -> None:
    """Mine CORPUS for candidate rules: clusters of spellings of one name, and word pairs
    that may be calques. Prints a pack whose every entry asks for review.
    """
    jobs, missing = collect_inputs(corpus, include or DEFAULT_INCLUDE, Path("cleaned"))
    for outcome in missing:
        raise CleanupError(outcome.error)
    texts = ["".join(read_chunks(job.path)) for job in jobs]
    known: set[str] = set()
    packs = [*(builtin_pack_paths() if with_default_rules else []), *rule_paths]
    if packs:
        loaded = load_rules(packs)
        known = {k.find for r in loaded.rules for k in r.keys}
        known |= {e.canonical for e in loaded.names} | {e.surname for e in loaded.names}
    clusters = name_clusters(texts, known)
    calques = calque_candidates(texts, min_count)
    text = render_pack(pack_name, clusters, calques)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text_atomic(output, text)
    click.echo(
        f"{len(clusters)} name clusters and {len(calques)} calque candidates from "
        f"{len(texts)} files",
        err=True,
    )


@cli.group()
def rules() -> None:
    """Work with rule packs: list, show, test, check, add to and import them."""


@rules.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--corpus",
    type=click.Path(exists=True, path_type=Path),
    help="Also report rules that make no edit on the text files in this folder.",
)
@handle_errors
def rules_check(paths: tuple[Path, ...], corpus: Path | None) -> None:
    """Lint rule files (the bundled packs when no PATH is given): forms claimed twice,
    fixes that would not settle (and cycles), rules shadowed by others, examples that other
    rules edit again, and with --corpus, rules that never fire.

    Exit status: 0 clean, 1 findings, 2 a rule file cannot be read.
    """
    ruleset = load_rules(list(paths) or builtin_pack_paths(), strict=False)
    files = list(walk(corpus, DEFAULT_INCLUDE)) if corpus and corpus.is_dir() else []
    if corpus is not None and corpus.is_file():
        files = [corpus]
    problems = check_rules(ruleset, files)
    for problem in problems:
        click.echo(str(problem))
    count = f"{len(problems)} finding" + ("" if len(problems) == 1 else "s")
    click.echo(f"{count} in {len(ruleset.rules)} rules from {len(ruleset.files)} files", err=True)
    sys.exit(1 if problems else 0)


@rules.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--no-default-rules", is_flag=True, help="Test the files alone, without the bundled packs."
)
@handle_errors
def rules_test(paths: tuple[Path, ...], no_default_rules: bool) -> None:
    """Run every rule's examples (the bundled packs when no PATH is given).

    Exit status: 0 all pass, 1 an example failed, 2 a rule file is broken.
    """
    # Given files are tested beside the bundled packs, which their rules may refer to.
    context = [] if no_default_rules else builtin_pack_paths()
    ruleset = load_rules([*context, *paths] if paths else builtin_pack_paths())
    Engine(ruleset)
    if paths:
        mine = {display_path(p) for p in rule_files(list(paths))}
        ruleset = ruleset.only(
            frozenset(r.id for r in ruleset.rules if r.source.rsplit(":", 1)[0] in mine)
        )
    failed = total = 0
    for result in run_examples(ruleset):
        total += 1
        if not result.passed:
            failed += 1
            where = result.example.source
            click.echo(f"FAIL {result.rule.id} ({where}): {result.problem}")
    click.echo(f"{len(ruleset.rules)} rules in {len(ruleset.files)} files; examples:")
    click.echo(f"{total - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


@rules.command("import")
@click.option(
    "--from",
    "source_format",
    type=click.Choice(["prh", "vale", "codespell"]),
    required=True,
    help="The format of FILE.",
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pack", "pack_name", help="Name of the new pack [default: from FILE's name].")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the pack here (atomically) instead of printing it.",
)
@handle_errors
def rules_import(
    source_format: str, file: Path, pack_name: str | None, output: Path | None
) -> None:
    """Convert a prh dictionary, a Vale substitution rule or a codespell dictionary into a
    cleanup pack. Entries cleanup cannot express are skipped and counted on stderr.
    """
    from cleanup.importers import convert

    converted = convert(source_format, file, pack_name)
    for note in converted.skipped:
        click.echo(f"skipped: {note}", err=True)
    if output is None:
        click.echo(converted.yaml, nl=False)
    else:
        writer = AtomicWriter(output)
        try:
            writer.write(converted.yaml)
            writer.commit()
        except BaseException:
            writer.discard()
            raise
    click.echo(
        f"{converted.count} rules converted, {len(converted.skipped)} entries skipped", err=True
    )


@rules.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", "canonical", help="A canonical name to add, or to add variants to.")
@click.option("--category", type=click.Choice(["person", "place", "organization", "other"]))
@click.option("--surname", help="The surname, for a new person.")
@click.option("--variant", "variants", multiple=True, help="A wrong form of --name.")
@click.option("--phrase", "find", help="Text to find (a phrase rule).")
@click.option("--replace", help="What --phrase becomes.")
@click.option("--case", type=click.Choice(["preserve", "exact"]), help="How --phrase matches.")
@click.option("--safety", type=click.Choice(["auto", "review", "suggest"]))
@click.option("--before", help="An example text for the new phrase...")
@click.option("--after", help="...and what it must become.")
@click.option("--exception", help="A text in which --rule must never fire.")
@click.option("--rule", "rule_id", help="The rule id --exception is for (of any loaded pack).")
@rules_options
@handle_errors
def rules_add(
    file: Path,
    canonical: str | None,
    category: str | None,
    surname: str | None,
    variants: tuple[str, ...],
    find: str | None,
    replace: str | None,
    case: str | None,
    safety: str | None,
    before: str | None,
    after: str | None,
    exception: str | None,
    rule_id: str | None,
    rule_paths: tuple[Path, ...],
    no_default_rules: bool,
) -> None:
    """Add a name (or variants of it), a phrase, or an exception to a rule file, keeping its
    comments and layout. The file is created when missing; a change that would not load
    beside the other packs (the bundled ones and --rules) is refused and nothing is written.
    """
    chosen = [x for x in (canonical, find, exception) if x is not None]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --name, --phrase or --exception")
    context = [] if no_default_rules else builtin_pack_paths()
    context += [p for p in rule_paths if p.resolve() != file.resolve()]
    context = [p for p in context if p.resolve() != file.resolve()]
    rule_file = RuleFile(file, context)
    if canonical is not None:
        added = rule_file.add_name(
            canonical, category=category, variants=list(variants), surname=surname
        )
    elif find is not None:
        if replace is None:
            raise click.UsageError("--phrase needs --replace")
        if (before is None) != (after is None):
            raise click.UsageError("--before and --after go together")
        example = (before, after) if before is not None and after is not None else None
        added = rule_file.add_phrase(find, replace, case=case, safety=safety, example=example)
    else:
        if rule_id is None:
            raise click.UsageError("--exception needs --rule RULE_ID")
        assert exception is not None
        rule_file.add_exception(rule_id, exception)
        added = rule_id
    rule_file.save()
    click.echo(f"{file}: {added}", err=True)


@rules.command("list")
@rules_options
@handle_errors
def rules_list(rule_paths: tuple[Path, ...], no_default_rules: bool) -> None:
    """List the loaded rules, a line each: id, kind, safety, where it is defined, its forms,
    and why it is right (when the rule says), separated by tabs."""
    ruleset = load_ruleset(rule_paths, no_default_rules)
    for rule in ruleset.rules:
        forms = ", ".join(f"{k.find} -> {k.replace or '(removed)'}" for k in rule.keys)
        if forms:
            what = forms
        elif rule.regex:
            what = f"/{rule.regex}/ -> {rule.replace!r}"
        elif rule.fixer:
            what = f"fixer {rule.fixer}"
        else:  # a name entry whose forms were all given up: only near-misses find it
            what = "(no forms)"
        fields = (rule.id, rule.kind.value, rule.safety.value, rule.source, what, rule.why)
        click.echo("\t".join(fields).rstrip("\t"))


@rules.command("show")
@click.argument("name")
@rules_options
@handle_errors
def rules_show(name: str, rule_paths: tuple[Path, ...], no_default_rules: bool) -> None:
    """Show every form a name entry matches: listed, generated (and how), and dropped.

    NAME is a rule id, a canonical name or any of its forms, in any case.
    """
    ruleset = load_ruleset(rule_paths, no_default_rules)
    entries = find_entries(ruleset, name)
    if not entries:
        raise CleanupError(f"no name entry is called or matches '{name}'")
    for entry in entries:
        rule = ruleset.by_id(entry.rule_id)
        fuzzy = "off" if entry.fuzzy is None else f"score >= {entry.fuzzy:g}"
        click.echo(f"{entry.canonical}  ({entry.category}, {rule.id}, {rule.source})")
        click.echo(f"  safety: {rule.safety.value}; near-miss discovery: {fuzzy}")
        for key in sorted(entry.keys, key=lambda k: (k.generated, k.note, k.find)):
            how = key.note.removeprefix("generated: ") if key.generated else "listed"
            extra = ""
            if key.guard is not None:
                extra = "; asks for review unless after the person's given name or a title"
            click.echo(f"  {key.find} -> {key.replace}    [{how}{extra}]")
        for form, why in dropped_forms(ruleset, entry):
            click.echo(f"  {form}    [not used: {why}]")


# `cleanup grammar serve|stop|url`: a local LanguageTool server (cleanup/grammar_server.py).
from cleanup.grammar_server import grammar as grammar_commands  # noqa: E402

cli.add_command(grammar_commands)


class Interrupted(BaseException):
    """Ctrl-C: a BaseException of its own, so that click does not turn it into exit 1."""


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted


def main() -> None:
    """Entry point of the ``cleanup`` command: an unexpected failure exits 2, not 1;
    Ctrl-C exits 130 and a closed pipe 141 (128 + the signal), quietly."""
    import signal

    signal.signal(signal.SIGINT, _interrupt)
    try:
        cli(prog_name="cleanup")
    except Interrupted:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (``cleanup fix - | head``): nothing more can be written.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
    except Exception:  # exit status 1 means "edits found"; a crash must not look like it
        import traceback

        traceback.print_exc()
        click.echo("error: internal error in cleanup (the traceback above says where)", err=True)
        sys.exit(EXIT_ERROR)
