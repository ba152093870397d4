"""One run of the rules over inputs, for every command that cleans: ``fix`` on files and
folders, ``fix -`` on standard input, and ``review``. A run collects the inputs, refuses
outputs that would overwrite them, cleans (or has a reviewer decide) each file, and hands
every result to one sink, which writes the texts, the patch and the report. The command
line only parses, calls ``run`` and prints what the ``RunResult`` says.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from cleanup.collector import collect_for_a_run
from cleanup.config import excluded
from cleanup.edit import Edit, Safety
from cleanup.engine import Engine, FixOptions
from cleanup.errors import CleanupError, InputError
from cleanup.formats import DEFAULT_INCLUDE as FORMAT_INCLUDE
from cleanup.formats import clean_document, read_document
from cleanup.formats.document import Document
from cleanup.formats.inputs import InputOptions, describe_skipped, walk_inputs
from cleanup.outcome import FileJob, FileOutcome
from cleanup.progress import Progress
from cleanup.report import Report, Summary
from cleanup.ruleset import builtin_pack_paths, load_rules
from cleanup.ruleset.model import RuleSet
from cleanup.runner import RunPlan, default_workers, run_files
from cleanup.sink import Destination, DiffStyle, Sink
from cleanup.spool import FindingSpool, spool_folder
from cleanup.textio import (
    DEFAULT_INCLUDE,
    UTF8,
    TextEncoding,
    decode_chunks,
    decode_encoded,
    detect_encoding,
    encoding_named,
    read_chunks,
    walk,
)

if TYPE_CHECKING:
    from cleanup.matchers.grammar import GrammarConfig

STDIN = Path("-")


class Reviewer(Protocol):
    """Decides which of a file's proposed edits are applied (``cleanup review``)."""

    @property
    def quit(self) -> bool:
        """Whether the reviewer stopped: then the run writes nothing."""

    def decide_all(
        self,
        engine: Engine,
        texts: Sequence[tuple[str, str]],
        docs: Sequence[Document | None] | None = None,
    ) -> list[list[Edit]]:
        """The accepted edits of each (label, text), in text order; a text with a
        structured Document in ``docs`` is reviewed in its translatable segments only."""


@dataclass(frozen=True)
class Console:
    """Standard output as text and as bytes, and standard input."""

    echo: Callable[[str], None]
    stdout: BinaryIO
    stdin: BinaryIO
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
    json: bool = False  # a machine format (json, jsonl, github, sarif): findings are kept
    output_file: Path | None = None  # where the machine format goes (else standard output)
    baseline: Path | None = None  # findings it knows are not reported (a missing one: made)
    report_path: Path | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    encoding: str | None = None  # how files without a byte-order mark are read
    strict: bool = False  # an empty file is an error, not a skipped file
    jobs: int | None = None
    review: Reviewer | None = None
    # The formats and their options (None: every input is plain text, as review reads).
    inputs: InputOptions | None = None
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
    skipped: Counter[str] = field(default_factory=Counter)  # files left out of folders, by why
    notes: list[str] = field(default_factory=list)  # for people: what the baseline did
    spools: object = None  # keeps the outcomes' spooled findings while the result lives

    @property
    def exit_code(self) -> int:
        return self.report.return_code(check=self.check)

    def summary(self, files_shown: int | None = 20) -> str:
        """The summary for people, on standard error (the by-file list stops after
        ``files_shown`` files; None: every file)."""
        return self.summary_of(files_shown).text()

    def summary_of(self, files_shown: int | None = 20) -> Summary:
        """The summary's parts, for plain lines or a terminal's tables."""
        dry = self.sink.destination is Destination.NOTHING or (
            self.sink.destination is Destination.STDOUT
            and self.sink.diff_style is not DiffStyle.NONE
        )
        summary = self.report.summary_of(
            verb=self.sink.verb,
            out_dir=self.sink.out_dir,
            patch=self.patch,
            dry=dry,
            files_shown=files_shown,
        )
        skipped = describe_skipped(self.skipped)
        if skipped:
            summary.tail.append(skipped)
        return summary


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
            request.show_diff and request.json and request.output_file is None,
            "--diff and a machine --format both print to stdout; pick one "
            "(or send the findings to --output-file)",
        ),
        (
            stdin and request.json and not request.check and request.output_file is None,
            "with '-' the cleaned text goes to standard output: give the --format an --output-file",
        ),
        (
            request.baseline is not None and request.in_place,
            "--baseline cannot be combined with --in-place",
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
        quiet = request.check or (request.json and request.output_file is None)
        return Sink(destination=Destination.NOTHING if quiet else Destination.STDOUT)
    # A machine format reports; it writes cleaned files only when --out or --in-place says.
    if request.check or (request.json and not request.in_place and not request.out_given):
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
    # after every file (with tens of thousands of rules that is most of its work), and
    # from walking the young objects every few hundred edits.
    collect_for_a_run()
    if request.stdin:
        return _run_stdin(engine, request, sink, console)
    skipped: Counter[str] = Counter()
    default = DEFAULT_INCLUDE if request.inputs is None else FORMAT_INCLUDE
    jobs, missing = collect_inputs(
        request.paths,
        request.include or default,
        request.out_dir,
        patch=sink.destination is Destination.OUT_DIR,
        in_place=sink.destination is Destination.IN_PLACE,
        follow_links=request.follow_links,
        inputs=request.inputs,
        skipped=skipped,
        exclude=request.exclude,
    )
    check_outputs(request.paths, jobs, sink.out_dir, request.report_path)
    outcomes = list(missing)
    quit = False
    spools = _Spools()
    keep = request.json or request.report_path is not None or request.baseline is not None
    if keep and request.review is None:
        jobs = spools.assign(jobs)
    try:
        with sink.parts(jobs) as jobs:
            if request.review is not None:
                quit = _review(engine, jobs, request, sink, outcomes)
            else:
                plan = RunPlan(
                    sink=sink,
                    options=request.options,
                    keep_findings=keep,
                    keep_original=request.report_path is not None,
                    encoding=request.encoding,
                    strict=request.strict,
                    inputs=request.inputs,
                )
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
    except BaseException:  # a run that stops half-way leaves no half patch
        sink.abandon()
        raise
    notes = []
    if request.baseline is not None:
        from cleanup.baseline import against_baseline

        outcomes, note = against_baseline(request.baseline, outcomes, request.encoding)
        notes = [note] if note else []
    report = Report(outcomes, {r.id: r.source for r in engine.rules.rules})
    return RunResult(
        report,
        sink,
        patch,
        quit=quit,
        check=request.check,
        skipped=skipped,
        notes=notes,
        spools=spools,
    )


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
    request: RunRequest,
    sink: Sink,
    outcomes: list[FileOutcome],
) -> bool:
    """Have the reviewer decide every file, then write them all; a reviewer who quits
    gets nothing written, so that an earlier review's output stays. Returns whether the
    reviewer quit."""
    reviewer, inputs, encoding_name = request.review, request.inputs, request.encoding
    assert reviewer is not None
    # Every file is read first and reviewed in one go, so that the reviewer's counter is
    # overall and an undo can go back into the previous file.
    texts: list[tuple[FileJob, str, TextEncoding]] = []
    docs: list[Document | None] = []
    for job in jobs:
        try:
            encoding = detect_encoding(job.path, encoding_name)
            text = "".join(read_chunks(job.path, encoding=encoding))
            fmt = inputs.format_of(job.path) if inputs is not None else "text"
            # A structured file is reviewed as fix reads it: its translatable text only.
            doc = read_document(text, fmt, str(job.path), inputs.read) if inputs else None
        except CleanupError as exc:
            outcomes.append(FileOutcome(job, error=str(exc)))
            continue
        texts.append((job, text, encoding))
        docs.append(doc)
    labelled = [(job.label, text) for job, text, _ in texts]
    decided = reviewer.decide_all(engine, labelled, docs)
    if reviewer.quit:
        return True
    for (job, text, encoding), edits in zip(texts, decided, strict=True):
        outcome = sink.write_whole(job, text, edits, encoding)
        outcomes.append(outcome)
        sink.take(outcome, lambda _: None)
    return False


def _run_stdin(engine: Engine, request: RunRequest, sink: Sink, console: Console) -> RunResult:
    """'-': standard input cleaned to standard output (streamed, block by block), or its
    diff, or only counted."""
    job = FileJob(STDIN, "-")
    spools = _Spools()
    spool = spools.path(0) if request.json else None
    encoding = encoding_named(request.encoding) if request.encoding is not None else None
    fmt = request.inputs.input_format if request.inputs is not None else None
    found = FindingSpool(spool, keep_applied=True)
    if fmt not in (None, "text"):  # a structured format: read whole into a Document
        assert request.inputs is not None and fmt is not None
        text = "".join(_stdin_chunks(console.stdin, encoding))
        doc = read_document(text, fmt, "<stdin>", request.inputs.read)
        result = clean_document(engine, doc, request.options)
        with found:
            for finding in result.findings:
                found(finding)
        if sink.diff_style is not DiffStyle.NONE:
            for piece in sink.render_diff("-", text, found.applied):
                console.echo(piece)
        elif sink.destination is Destination.STDOUT:
            console.stdout.write((result.text or "").encode("utf-8"))
            console.stdout.flush()
    elif sink.diff_style is not DiffStyle.NONE:
        text = "".join(_stdin_chunks(console.stdin, encoding))
        with found:
            engine.fix_stream([text], _ignore, request.options, emit=found)
        for piece in sink.render_diff("-", text, found.applied):
            console.echo(piece)
    else:
        out = console.stdout
        encode = (encoding or UTF8).encoder()  # written back as it was read

        def write(piece: str) -> None:
            out.write(encode(piece))

        streamed = sink.destination is Destination.STDOUT
        found = FindingSpool(spool)
        with found:
            engine.fix_stream(
                _stdin_chunks(console.stdin, encoding),
                write if streamed else _ignore,
                request.options,
                emit=found,
            )
        out.flush()
    outcome = FileOutcome(job, found.counts, spool=spool)
    report = Report([outcome], {r.id: r.source for r in engine.rules.rules})
    return RunResult(report, sink, check=request.check, spools=spools)


def _stdin_chunks(stdin: BinaryIO, encoding: TextEncoding | None = None) -> Iterator[str]:
    """Standard input as text (UTF-8 unless --encoding), piece by piece; empty input is an
    empty text."""
    try:
        if encoding is None:
            yield from decode_chunks(stdin, "<stdin>")
        else:
            yield from decode_encoded(stdin, "<stdin>", encoding)
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
    inputs: InputOptions | None = None,
    skipped: Counter[str] | None = None,
    exclude: tuple[str, ...] = (),
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
            if inputs is not None:  # every supported type, less --exclude; count the rest
                found, why = walk_inputs(path, inputs, skip=(out_dir,), errors=unreadable)
                if skipped is not None:
                    skipped.update(why)
            else:
                found = list(walk(path, include, skip=(out_dir,), errors=unreadable))
                if exclude:  # matched against the path below the folder given
                    found = [
                        f for f in found if not excluded(f.relative_to(path).as_posix(), exclude)
                    ]
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
        from cleanup.html_report import pages_folder

        pages = os.path.realpath(pages_folder(report))
        if any(_inside(p, pages) for p in inputs):
            folder = pages_folder(report)
            msg = f"the report's pages folder {folder} holds inputs; choose another path"
            raise CleanupError(msg, str(report))


def load_ruleset(
    rule_paths: Sequence[Path],
    no_default_rules: bool,
    keep: Callable[[str], bool] | None = None,
) -> RuleSet:
    """The bundled packs (unless dropped) followed by the user's, less the rules ``keep``
    (``FixOptions.wants``, or a ``selection.IdRecorder`` around it) leaves out."""
    paths = [] if no_default_rules else builtin_pack_paths()
    paths.extend(rule_paths)
    if not paths:
        msg = "no rules: --no-default-rules needs at least one --rules PATH"
        raise CleanupError(msg)
    return load_rules(paths, keep=keep)


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
