"""One run of the rules over inputs, for every command that cleans: ``fix`` on files and
folders, ``fix -`` on standard input, and ``review``. A run collects the inputs, refuses
outputs that would overwrite them, cleans (or has a reviewer decide) each file, and hands
every result to one sink, which writes the texts, the patch and the report. The command
line only parses, calls ``run`` and prints what the ``RunResult`` says.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from cleanup.edit import Edit, Safety
from cleanup.engine import Engine, FixOptions, id_matches
from cleanup.errors import CleanupError, InputError
from cleanup.outcome import FileJob, FileOutcome
from cleanup.progress import Progress
from cleanup.report import Report
from cleanup.ruleset import builtin_pack_paths, load_rules
from cleanup.ruleset.model import RuleSet
from cleanup.runner import RunPlan, default_workers, run_files
from cleanup.sink import Destination, DiffStyle, Sink
from cleanup.spool import FindingSpool, spool_folder
from cleanup.textio import DEFAULT_INCLUDE, decode_chunks, read_chunks, split_lines, walk

if TYPE_CHECKING:
    from cleanup.matchers.grammar import GrammarConfig

STDIN = Path("-")
# Ids of findings made without a pack rule: --select may name them though no rule has them.
DYNAMIC_IDS = ("fuzzy", "languagetool", "names")


class Reviewer(Protocol):
    """Decides which of a file's proposed edits are applied (``cleanup review``)."""

    @property
    def quit(self) -> bool:
        """Whether the reviewer stopped: then the run writes nothing."""

    def decide(self, engine: Engine, label: str, text: str) -> list[Edit]:
        """The accepted edits of one text, in text order."""


@dataclass(frozen=True)
class Console:
    """Standard output as text and as bytes, and a line on standard error."""

    echo: Callable[[str], None]
    stdout: BinaryIO
    stdin: BinaryIO
    warn: Callable[[str], None]
    tty: bool = False  # standard output is a terminal (coloured word diffs)


@dataclass(frozen=True, kw_only=True)
class RunRequest:
    """What a command asked for, as its options say it."""

    paths: tuple[Path, ...]
    options: FixOptions = field(default_factory=FixOptions)
    out_dir: Path = Path("cleaned")
    out_given: bool = False  # --out was given, not defaulted
    in_place: bool = False
    follow_links: bool = False
    show_diff: bool = False
    diff_format: str = "auto"  # auto, unified or words
    check: bool = False
    json: bool = False  # every finding as JSON on standard output
    report_path: Path | None = None
    include: tuple[str, ...] = ()
    jobs: int | None = None
    review: Reviewer | None = None
    quiet: bool = False  # no progress bar
    dask: str | None = None  # a Dask scheduler's address, or "local"

    @property
    def stdin(self) -> bool:
        return self.paths == (STDIN,)


@dataclass
class RunResult:
    """What a run did: every outcome and what it counted, the patch written, and the exit
    status that follows from them."""

    report: Report
    sink: Sink
    patch: Path | None = None
    quit: bool = False  # a reviewer stopped; nothing was written
    check: bool = False
    spools: object = None  # keeps the outcomes' spooled findings while the result lives

    @property
    def exit_code(self) -> int:
        return self.report.return_code(check=self.check)

    def summary(self) -> str:
        """The summary for people, on standard error."""
        return self.report.summary(verb=self.sink.verb, out_dir=self.sink.out_dir, patch=self.patch)


def check_request(request: RunRequest) -> None:
    """Refuse options that cannot work together, before anything is read."""
    stdin = STDIN in request.paths
    refused = [
        (stdin and len(request.paths) > 1, "'-' (standard input) cannot be mixed with files"),
        (stdin and request.review is not None, "review needs files, not '-' (standard input)"),
        (stdin and request.dask is not None, "--dask needs files, not '-' (standard input)"),
        (request.in_place and stdin, "--in-place cannot rewrite '-' (standard input)"),
        (
            stdin and request.report_path is not None,
            "--report needs files, not '-' (standard input)",
        ),
        (
            request.in_place and request.out_given,
            "--in-place and --out cannot be combined: pick one",
        ),
        (
            request.in_place and (request.show_diff or request.check),
            "--in-place cannot be combined with --diff or --check",
        ),
        (
            request.show_diff and request.json,
            "--diff and --format json both print to stdout; pick one",
        ),
    ]
    for refuse, message in refused:
        if refuse:
            raise CleanupError(message)


def plan_sink(request: RunRequest, tty: bool) -> Sink:
    """Where the request's results go."""
    style = DiffStyle.NONE
    if request.show_diff:
        if request.diff_format == "unified":
            style = DiffStyle.UNIFIED
        elif request.diff_format == "words" or tty:
            style = DiffStyle.WORDS_COLOR if tty else DiffStyle.WORDS
        else:
            style = DiffStyle.UNIFIED
    report = request.report_path
    if request.show_diff:
        return Sink(destination=Destination.STDOUT, diff_style=style, report_path=report)
    if request.stdin:
        quiet = request.check or request.json
        return Sink(destination=Destination.NOTHING if quiet else Destination.STDOUT)
    if request.check:
        return Sink(destination=Destination.NOTHING, report_path=report)
    if request.in_place:
        return Sink(destination=Destination.IN_PLACE, report_path=report)
    return Sink(
        destination=Destination.OUT_DIR,
        out_dir=request.out_dir,
        diff_style=DiffStyle.UNIFIED,
        report_path=request.report_path,
    )


def run(engine: Engine, request: RunRequest, console: Console) -> RunResult:
    """Clean (or review) what the request names and write the results through one sink."""
    check_request(request)
    sink = plan_sink(request, console.tty)
    # The compiled rules live for the whole run: keep the collector from rescanning them
    # after every file (with tens of thousands of rules that is most of its work).
    gc.freeze()
    if request.stdin:
        return _run_stdin(engine, request, sink, console)
    jobs, missing = collect_inputs(
        request.paths,
        request.include or DEFAULT_INCLUDE,
        request.out_dir,
        patch=sink.destination is Destination.OUT_DIR,
        in_place=sink.destination is Destination.IN_PLACE,
        follow_links=request.follow_links,
    )
    check_outputs(request.paths, jobs, sink.out_dir, request.report_path)
    outcomes = list(missing)
    quit = False
    spools = _Spools()
    keep = request.json or request.report_path is not None
    if keep and request.review is None:
        jobs = spools.assign(jobs)
    with sink.parts(jobs) as jobs:
        if request.review is not None:
            quit = _review(engine, jobs, request.review, sink, outcomes)
        else:
            plan = RunPlan(sink=sink, options=request.options, keep_findings=keep)
            workers = request.jobs or default_workers()
            if engine.grammar is not None and engine.grammar.url is None:
                # A LanguageTool that language-tool-python starts lives in this process
                # only; a server at a URL is shared by every worker.
                workers = 1
            if request.dask is not None:
                from cleanup import dask_run

                done = dask_run.run_files(engine, jobs, plan, request.dask)
            else:
                done = run_files(engine, jobs, plan, workers)
            with Progress(jobs, enabled=False if request.quiet else None) as progress:
                for outcome in done:
                    outcomes.append(outcome)
                    progress.done(outcome)
                    sink.take(outcome, console.echo)
        patch = None if quit else sink.finish(outcomes)
    report = Report(outcomes, {r.id: r.source for r in engine.rules.rules})
    return RunResult(report, sink, patch, quit=quit, check=request.check, spools=spools)


class _Spools:
    """The spool files of a run's findings; they go when the run's result does."""

    def __init__(self) -> None:
        self._folder: Path | None = None

    def path(self, index: int) -> Path:
        if self._folder is None:
            self._folder = spool_folder(self)
        return self._folder / f"{index:08}.findings"

    def assign(self, jobs: Sequence[FileJob]) -> list[FileJob]:
        """The jobs, each with where its findings are spooled."""
        return [replace(job, findings_part=self.path(i)) for i, job in enumerate(jobs)]


def _review(
    engine: Engine,
    jobs: Sequence[FileJob],
    reviewer: Reviewer,
    sink: Sink,
    outcomes: list[FileOutcome],
) -> bool:
    """Have the reviewer decide every file, then write them all; a reviewer who quits
    gets nothing written, so that an earlier review's output stays. Returns whether the
    reviewer quit."""
    reviewed: list[tuple[FileJob, str, list[Edit]]] = []
    for job in jobs:
        try:
            text = "".join(read_chunks(job.path))
        except CleanupError as exc:
            outcomes.append(FileOutcome(job, error=str(exc)))
            continue
        reviewed.append((job, text, reviewer.decide(engine, job.label, text)))
        if reviewer.quit:
            return True
    outcomes.extend(sink.write_whole(job, text, edits) for job, text, edits in reviewed)
    return False


def _run_stdin(engine: Engine, request: RunRequest, sink: Sink, console: Console) -> RunResult:
    """'-': standard input cleaned to standard output (streamed, block by block), or its
    diff, or only counted."""
    job = FileJob(STDIN, "-")
    spools = _Spools()
    spool = spools.path(0) if request.json else None
    if sink.diff_style is not DiffStyle.NONE:
        text = "".join(_stdin_chunks(console.stdin))
        with FindingSpool(spool, keep_applied=True) as found:
            engine.fix_stream([text], _ignore, request.options, emit=found)
        for piece in sink.render_diff("-", split_lines(text), found.applied):
            console.echo(piece)
    else:
        out = console.stdout

        def write(piece: str) -> None:
            out.write(piece.encode("utf-8"))

        streamed = sink.destination is Destination.STDOUT
        with FindingSpool(spool) as found:
            engine.fix_stream(
                _stdin_chunks(console.stdin),
                write if streamed else _ignore,
                request.options,
                emit=found,
            )
        out.flush()
    outcome = FileOutcome(job, found.counts, spool=spool)
    report = Report([outcome], {r.id: r.source for r in engine.rules.rules})
    return RunResult(report, sink, check=request.check, spools=spools)


def _stdin_chunks(stdin: BinaryIO) -> Iterator[str]:
    """Standard input as UTF-8 text, piece by piece; empty input is an empty text."""
    try:
        yield from decode_chunks(stdin, "<stdin>")
    except InputError as exc:
        if "empty file" not in exc.message:
            raise


def _ignore(_: str) -> None:
    return None


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


def load_ruleset(
    rule_paths: Sequence[Path], no_default_rules: bool, options: FixOptions | None = None
) -> RuleSet:
    """The bundled packs (unless dropped) followed by the user's, less ignored rules."""
    paths = [] if no_default_rules else builtin_pack_paths()
    paths.extend(rule_paths)
    if not paths:
        msg = "no rules: --no-default-rules needs at least one --rules PATH"
        raise CleanupError(msg)
    return load_rules(paths, keep=options.wants if options else None)


def unknown_selectors(ruleset: RuleSet, select: Sequence[str]) -> list[str]:
    """The --select values that name no loaded rule or pack (nor a dynamic finder)."""
    return [
        s
        for s in select
        if not s.startswith(DYNAMIC_IDS) and not any(id_matches(r.id, s) for r in ruleset.rules)
    ]


def make_engine(
    ruleset: RuleSet, grammar_mode: str, url: str | None, warn: Callable[[str], None]
) -> Engine:
    """The compiled rules, with LanguageTool when asked and when it can run."""
    if grammar_mode == "off":
        return Engine(ruleset)
    from cleanup.matchers.grammar import GrammarConfig, GrammarUnavailable

    config: GrammarConfig = GrammarConfig(url=url)
    try:
        return Engine(ruleset, grammar=config)
    except GrammarUnavailable as exc:
        if grammar_mode == "required":
            raise
        warn(f"warning: grammar check skipped: {exc}")
        return Engine(ruleset)


def accepted_safeties(accept_review: bool) -> frozenset[Safety]:
    """The safeties a fix applies unasked."""
    return frozenset({Safety.AUTO, Safety.REVIEW} if accept_review else {Safety.AUTO})
