"""The command line: parse, call the library, print, exit. Nothing else."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from cleanup import config as configuration
from cleanup.engine import Engine, FixOptions
from cleanup.errors import CleanupError
from cleanup.formats import DEFAULT_INCLUDE as FORMAT_INCLUDE
from cleanup.formats import FORMATS as INPUT_FORMATS
from cleanup.formats.inputs import InputOptions
from cleanup.lint import check_rules
from cleanup.names import dropped_forms, find_entries
from cleanup.outcome import FileOutcome
from cleanup.outputs import FORMATS, MACHINE_FORMATS, pieces
from cleanup.report import EXIT_ERROR
from cleanup.ruleset import builtin_pack_paths, cache, load_rules
from cleanup.ruleset.load import display_path, rule_files
from cleanup.ruleset.model import PatternRule, RuleSet, StructureRule, keys_of
from cleanup.ruletest import run_examples
from cleanup.run import (
    Console,
    RunRequest,
    RunResult,
    accepted_safeties,
    check_request,
    collect_inputs,
    load_ruleset,
    make_engine,
    run,
)
from cleanup.selection import IdRecorder, check_ids, split_ids
from cleanup.terminal import COLOR_CHOICES, print_summary, use_color
from cleanup.textio import (
    DEFAULT_INCLUDE,
    AtomicWriter,
    encoding_named,
    read_chunks,
    walk,
    write_text_atomic,
)

if TYPE_CHECKING:
    from cleanup.review import FileReviewer

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


class PipeClosed(BaseException):
    """Standard output's reader went away. Not an OSError, which click would turn into
    exit 1 (the code of --check); ``main`` exits 141 (128 + SIGPIPE) instead."""


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise PipeClosed from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cleanup")
@click.option(
    "--config",
    "config_path",
    envvar="CLEANUP_CONFIG",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read settings from this file instead of the one found from the working folder "
    "upwards (cleanup.toml, .cleanup.yaml, or [tool.cleanup] in pyproject.toml) "
    "[env: CLEANUP_CONFIG].",
)
@click.option("--no-config", is_flag=True, help="Read no configuration file.")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, no_config: bool) -> None:
    """Clean up English machine translations of Russian news.

    Rule packs in YAML fix calques, transliterated and inconsistent names, Russian forms
    of address, misplaced quotes and scraping leftovers; every change is written as a
    reviewable patch. Settings in a configuration file are defaults that command-line
    options override; `cleanup config` shows them (see docs/config.md).
    """
    try:
        found = configuration.Config() if no_config else configuration.load_config(path=config_path)
    except CleanupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    ctx.obj = found
    ctx.default_map = configuration.default_map(found)


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


def format_options(func: F) -> F:
    """Which files of the folders ``fix`` reads, and how it reads each format."""
    options = [
        click.option(
            "--include",
            multiple=True,
            help="File name or path patterns picked up in folders (repeatable) [default: "
            "every supported type: " + " ".join(FORMAT_INCLUDE) + "].",
        ),
        click.option(
            "--exclude",
            multiple=True,
            help="File name or path patterns left out of folders (repeatable).",
        ),
        click.option(
            "--input-format",
            type=click.Choice(sorted(INPUT_FORMATS)),
            help="Read every input as this format [default: by extension; '-' is text].",
        ),
        click.option(
            "--field",
            "fields",
            multiple=True,
            help="JSON and JSONL string fields to clean (repeatable or comma-separated) "
            "[default: text].",
        ),
        click.option(
            "--column",
            "columns",
            multiple=True,
            help="CSV and TSV columns to clean, by header (repeatable or comma-separated) "
            "[default: text].",
        ),
        click.option(
            "--front-matter-keys",
            default="",
            help="Markdown front matter keys whose values are cleaned (comma-separated).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def include_option(func: F) -> F:
    """Which files of the folders a command is given it reads."""
    return click.option(
        "--include",
        multiple=True,
        help=f"File name patterns picked up in folders [default: {' '.join(DEFAULT_INCLUDE)}].",
    )(func)


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
@click.option(
    "--select", multiple=True, help="Only these rule ids or packs (repeatable, or a comma list)."
)
@click.option(
    "--ignore", multiple=True, help="Skip these rule ids or packs (repeatable, or a comma list)."
)
@click.option(
    "--safety",
    multiple=True,
    metavar="ID=LEVEL",
    help="Give a rule or pack another safety: auto, review or suggest (repeatable).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: a summary on stderr; json, jsonl: every finding (docs/output-formats.md); "
    "github: workflow annotations; sarif: SARIF 2.1.0. Machine formats write no cleaned "
    "files unless --out or --in-place is given.",
)
@click.option(
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the --format output to this file (atomically) instead of standard output.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only findings that are not in this file; when it does not exist, record "
    "today's findings in it.",
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
@format_options
@click.option(
    "--encoding",
    help="Read files without a byte-order mark in this encoding (cp1251, latin-1, ...); "
    "cleaned files keep their encoding [default: utf-8; UTF-16/32 from their mark].",
)
@click.option("--strict", is_flag=True, help="An empty input file is an error (exit 2).")
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress bar and no summary: only errors and warnings."
)
@click.option("-v", "--verbose", is_flag=True, help="List every file in the summary.")
@click.option(
    "--color",
    type=click.Choice(COLOR_CHOICES),
    default="auto",
    show_default=True,
    help="Colour the word diff; auto follows NO_COLOR, FORCE_COLOR and the terminal.",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="[ADDRESS]",
    is_flag=False,
    flag_value="local",
    default=None,
    help="Clean the files as partitions on the Dask cluster at ADDRESS (host:port); "
    "without one, on a local cluster (pip install 'cleanup[dask]'). The outputs are "
    "those of a local run.",
)
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
    safety: tuple[str, ...],
    output_format: str,
    output_file: Path | None,
    baseline_path: Path | None,
    diff_format: str,
    jobs: int | None,
    dask_address: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    input_format: str | None,
    fields: tuple[str, ...],
    columns: tuple[str, ...],
    front_matter_keys: str,
    encoding: str | None,
    strict: bool,
    quiet: bool,
    verbose: bool,
    color: str,
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
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be combined")
    if encoding is not None:
        encoding_named(encoding)  # an unknown encoding is refused before anything is read
    select, ignore = split_ids(select), split_ids(ignore)
    options = FixOptions(accept=accepted_safeties(accept_review), select=select, ignore=ignore)
    request = RunRequest(
        paths=paths,
        options=options,
        out_dir=out_dir,
        out_given=_given("out_dir"),
        in_place=in_place,
        follow_links=follow_links,
        show_diff=show_diff,
        diff_format=diff_format,
        check=check,
        json=output_format in MACHINE_FORMATS,
        output_file=output_file,
        baseline=baseline_path,
        report_path=report_path,
        include=include,
        exclude=exclude,
        encoding=encoding,
        strict=strict,
        jobs=jobs,
        inputs=InputOptions.from_options(
            input_format, fields, columns, front_matter_keys, include, exclude
        ),
        quiet=quiet,
        dask=dask_address,
    )
    check_request(request)
    ruleset = _checked_ruleset(rule_paths, no_default_rules, options, safety)
    click.get_current_context().color = use_color(color, sys.stdout)
    console = _console(tty=use_color(color, sys.stdout))
    result = run(make_engine(ruleset, grammar_mode, languagetool_url, _warn), request, console)
    if request.json:
        _emit(output_format, result.report.outcomes, ruleset, output_file)
    if (request.json and output_file is None) or quiet:
        _problems(result.report.outcomes)  # on stderr whatever the format
    else:
        for note in result.notes:
            _warn(note)
        summary = result.summary_of(files_shown=None if verbose else 20)
        if sys.stderr.isatty():  # tables for people; one plain line per item when piped
            print_summary(summary, sys.stderr, color=use_color(color, sys.stderr))
        else:
            click.echo(summary.text(), err=True, nl=False)
    sys.exit(result.exit_code)


def _checked_ruleset(
    rule_paths: tuple[Path, ...],
    no_default_rules: bool,
    options: FixOptions,
    safety: tuple[str, ...],
) -> RuleSet:
    """The rules of a run: every id named in --select, --ignore and --safety checked
    against the loaded packs (also those the selection leaves out), the safeties given."""
    levels = configuration.parse_safety(safety)
    seen = IdRecorder(options.wants)
    ruleset = load_ruleset(rule_paths, no_default_rules, seen)
    check_ids("--select", options.select, seen.ids)
    check_ids("--ignore", options.ignore, seen.ids)
    check_ids("--safety", levels, seen.ids)
    return configuration.apply_safety(ruleset, levels)


def _emit(
    output_format: str, outcomes: Sequence[FileOutcome], rules: RuleSet, output_file: Path | None
) -> None:
    """The findings in a machine format, on stdout or in --output-file, piece by piece:
    the findings are read back one at a time, never all held."""
    text = pieces(output_format, outcomes, {r.id: (r.source, r.why) for r in rules.rules})
    if output_file is None:
        for piece in text:
            click.echo(piece, nl=False)
        return
    with AtomicWriter(output_file) as writer:
        for piece in text:
            writer.write(piece)


def _problems(outcomes: Sequence[FileOutcome]) -> None:
    for outcome in outcomes:
        if outcome.warning:
            _warn(f"warning: {outcome.warning}")
        if outcome.error:
            _warn(f"error: {outcome.error}")


def _given(parameter: str) -> bool:
    """Whether an option was given, not left at its default."""
    source = click.get_current_context().get_parameter_source(parameter)
    return source is not None and source is not click.core.ParameterSource.DEFAULT


def _warn(line: str) -> None:
    click.echo(line, err=True)


def _warn_text(text: str) -> None:
    click.echo(text, err=True, nl=False)


def _console(*, tty: bool | None = None) -> Console:
    return Console(
        echo=lambda text: click.echo(text, nl=False),
        stdout=sys.stdout.buffer,
        stdin=sys.stdin.buffer,
        tty=sys.stdout.isatty() if tty is None else tty,
    )


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
@click.option(
    "--accept", multiple=True, help="Accept edits of these rule ids or packs (or a comma list)."
)
@click.option(
    "--reject", multiple=True, help="Reject edits of these rule ids or packs (or a comma list)."
)
@click.option(
    "--rules-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your rule file, where 'always' decisions go (never the bundled packs).",
)
@click.option(
    "--browser",
    is_flag=True,
    help="Review in a web browser: a page on 127.0.0.1 (its address, with a one-time token, "
    "is printed on stderr); Finish there or Ctrl-C here writes the result.",
)
@click.option(
    "--no-open", is_flag=True, help="With --browser: print the address, do not open a browser."
)
@format_options
@click.option(
    "--encoding",
    help="Read files without a byte-order mark in this encoding (cp1251, latin-1, ...).",
)
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
    browser: bool,
    no_open: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    input_format: str | None,
    fields: tuple[str, ...],
    columns: tuple[str, ...],
    front_matter_keys: str,
    encoding: str | None,
    rule_paths: tuple[Path, ...],
    no_default_rules: bool,
) -> None:
    """Go through every proposed edit (auto, review and suggest) and accept, reject or edit
    it; write the accepted result as 'fix' does, with its patch.

    Keys: y accept, n reject, e edit, a/r accept/reject every edit of the rule, N reject
    and add an exception to --rules-file, E edit and add the fix to --rules-file, u undo
    (into the previous file too), ? help,
    q quit. Decisions are saved as you go; run again to resume. Without a terminal, only
    --accept, --reject and saved decisions decide, and undecided edits are left out.

    --browser: the same review on a local web page, the same keys; Finish (or Ctrl-C)
    writes the result with the decisions so far, undecided edits left out (asked about
    on the next review); Quit writes nothing, as q does.
    """
    from cleanup.review import Decisions, FileReviewer, Review, RuleGrower
    from cleanup.review_prompt import TerminalPrompt

    if no_open and not browser:
        raise CleanupError("--no-open goes with --browser")
    interactive = browser or (sys.stdin.isatty() and sys.stdout.isatty())
    decisions = Decisions.load(decisions_path)
    if not interactive and not (accept or reject or decisions.edits or decisions.rules):
        msg = (
            "no terminal to ask on: decide with --accept/--reject RULE_ID or a --decisions "
            "file (as written by an earlier review)"
        )
        raise CleanupError(msg)
    own = (rules_file,) if rules_file is not None and rules_file.exists() else ()
    ruleset = load_ruleset(rule_paths + own, no_default_rules)
    accept, reject = split_ids(accept), split_ids(reject)
    check_ids("--accept", accept, (r.id for r in ruleset.rules))
    check_ids("--reject", reject, (r.id for r in ruleset.rules))
    context = [*([] if no_default_rules else builtin_pack_paths()), *rule_paths]
    grower = RuleGrower(rules_file, context)
    prompt = None
    if interactive and not browser:
        color = use_color("auto", sys.stdout)
        prompt = TerminalPrompt(grower.texts, color=color, rules_file=rules_file is not None)
    session = Review(decisions, accept, reject, prompt)
    front = None
    if browser:
        from cleanup.review_web import BrowserFront

        front = BrowserFront(
            session, grower.texts, rules_file is not None, _warn_text, open_browser=not no_open
        )
    reviewer = FileReviewer(session, grower, front)
    request = RunRequest(
        paths=paths,
        out_dir=out_dir,
        out_given=_given("out_dir"),
        in_place=in_place,
        follow_links=follow_links,
        include=include,
        exclude=exclude,
        encoding=encoding,
        review=reviewer,
        inputs=InputOptions.from_options(
            input_format, fields, columns, front_matter_keys, include, exclude
        ),
    )
    check_request(request)
    result = run(Engine(ruleset), request, _console())
    for line in _review_summary(result, reviewer, decisions_path):
        click.echo(line, err=True)
    sys.exit(result.exit_code)


def _review_summary(result: RunResult, reviewer: FileReviewer, decisions: Path) -> Iterator[str]:
    """What a review decided and wrote, for stderr."""
    yield from reviewer.session.notes
    if result.quit:
        yield (
            f"{reviewer.counts()}; quit: nothing written; decisions in {decisions} "
            "(run again to resume)"
        )
    else:
        yield f"{reviewer.counts()}; decisions in {decisions}"
    if result.patch is not None:
        yield f"patch: {result.patch}"
    yield from (f"warning: {o.warning}" for o in result.report.outcomes if o.warning)
    yield from (f"error: {o.error}" for o in result.report.errors)


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
    "--no-default-rules",
    is_flag=True,
    help="Do not check the candidates against the bundled packs.",
)
@click.option("--with-default-rules", is_flag=True, hidden=True)  # the default now
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Also check the candidates against these rule files (repeatable).",
)
@include_option
@handle_errors
def suggest(
    corpus: tuple[Path, ...],
    output: Path | None,
    pack_name: str,
    min_count: int,
    no_default_rules: bool,
    with_default_rules: bool,
    rule_paths: tuple[Path, ...],
    include: tuple[str, ...],
) -> None:
    """Mine CORPUS for candidate rules: clusters of spellings of one name, and word pairs
    that may be calques. Prints a pack whose every entry asks for review.

    Candidates are checked against the loaded packs (the bundled ones unless
    --no-default-rules, and --rules): spellings they already fix are left out, and a
    cluster they know is named by their canonical form. Word pairs that printed English
    uses ("peace treaty", "foreign minister") are not proposed as calques.
    """
    from cleanup.suggest import calque_candidates, name_clusters, render_pack

    jobs, missing = collect_inputs(corpus, include or DEFAULT_INCLUDE, Path("cleaned"))
    for outcome in missing:
        raise CleanupError(outcome.error)
    texts = ["".join(read_chunks(job.path)) for job in jobs]
    known, canonical_of = _known_names(
        [*([] if no_default_rules else builtin_pack_paths()), *rule_paths]
    )
    clusters = name_clusters(texts, known)
    calques = calque_candidates(texts, min_count)
    text = render_pack(pack_name, clusters, calques, canonical_of)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text_atomic(output, text)
    click.echo(
        f"{len(clusters)} name clusters and {len(calques)} calque candidates from "
        f"{len(texts)} files",
        err=True,
    )


def _known_names(packs: list[Path]) -> tuple[set[str], dict[str, str]]:
    """Every form the packs fix, and each name form's canonical name."""
    if not packs:
        return set(), {}
    loaded = load_rules(packs)
    known = {k.find for r in loaded.rules for k in keys_of(r)}
    known |= {e.canonical for e in loaded.names} | {e.surname for e in loaded.names}
    canonical_of: dict[str, str] = {}
    for entry in loaded.names:
        canonical_of[entry.canonical] = entry.canonical
        canonical_of.update((k.find, entry.canonical) for k in entry.keys)
    return known, canonical_of


@cli.command("config")
@click.pass_obj
def config_command(found: configuration.Config) -> None:
    """Print the settings in effect, each with where it came from: a file and line, or
    the default. Command-line options given to a command override these."""
    for line in configuration.describe(found):
        click.echo(line)


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
@click.option(
    "--no-default-rules", is_flag=True, help="Check the files alone, without the bundled packs."
)
@handle_errors
def rules_check(paths: tuple[Path, ...], corpus: Path | None, no_default_rules: bool) -> None:
    """Lint rule files (the bundled packs when no PATH is given): forms claimed twice,
    fixes that would not settle (and cycles), rules shadowed by others, examples that other
    rules edit again, and with --corpus, rules that never fire. Given files are checked
    beside the bundled packs they run with, and what is reported is what concerns them.

    Exit status: 0 clean, 1 findings, 2 a rule file cannot be read.
    """
    context = [] if no_default_rules or not paths else builtin_pack_paths()
    ruleset = load_rules([*context, *paths] or builtin_pack_paths(), strict=False)
    files = list(walk(corpus, DEFAULT_INCLUDE)) if corpus and corpus.is_dir() else []
    if corpus is not None and corpus.is_file():
        files = [corpus]
    problems = check_rules(ruleset, files)
    if context:
        mine = {display_path(p) for p in rule_files(list(paths))}
        ruleset = ruleset.only(
            frozenset(r.id for r in ruleset.rules if r.source.rsplit(":", 1)[0] in mine)
        )
        problems = [p for p in problems if p.where.split(":", 1)[0] in mine]
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
        write_text_atomic(output, converted.yaml)
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
@click.option(
    "--overrides",
    "overrides",
    help="A rule id (of any loaded pack) whose forms the new name or phrase takes over.",
)
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
    overrides: str | None,
    rule_paths: tuple[Path, ...],
    no_default_rules: bool,
) -> None:
    """Add a name (or variants of it), a phrase, or an exception to a rule file, keeping its
    comments and layout. With --overrides, the new rule takes over the forms it shares
    with that rule. The file is created when missing; a change that would not load
    beside the other packs (the bundled ones and --rules) is refused and nothing is written.
    """
    chosen = [x for x in (canonical, find, exception) if x is not None]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --name, --phrase or --exception")
    context = [] if no_default_rules else builtin_pack_paths()
    context += [p for p in rule_paths if p.resolve() != file.resolve()]
    context = [p for p in context if p.resolve() != file.resolve()]
    if overrides is not None:
        _check_overrides(overrides, exception is not None, [*context, file])
    from cleanup.ruleset.write import RuleFile  # round-trip YAML: only this command needs it

    rule_file = RuleFile(file, context)
    if canonical is not None:
        added = rule_file.add_name(
            canonical,
            category=category,
            variants=list(variants),
            surname=surname,
            overrides=overrides,
        )
    elif find is not None:
        if replace is None:
            raise click.UsageError("--phrase needs --replace")
        if (before is None) != (after is None):
            raise click.UsageError("--before and --after go together")
        example = (before, after) if before is not None and after is not None else None
        added = rule_file.add_phrase(
            find, replace, case=case, safety=safety, example=example, overrides=overrides
        )
    else:
        if rule_id is None:
            raise click.UsageError("--exception needs --rule RULE_ID")
        assert exception is not None
        rule_file.add_exception(rule_id, exception)
        added = rule_id
    rule_file.save()
    click.echo(f"{file}: {added}", err=True)


def _check_overrides(overrides: str, for_exception: bool, packs: list[Path]) -> None:
    """--overrides names a loaded rule, and goes with a name or a phrase."""
    if for_exception:
        raise click.UsageError("--overrides goes with --name or --phrase")
    known = load_rules([p for p in packs if p.exists()], strict=False)
    check_ids("--overrides", [overrides], (r.id for r in known.rules))


@rules.command("list")
@rules_options
@handle_errors
def rules_list(rule_paths: tuple[Path, ...], no_default_rules: bool) -> None:
    """List the loaded rules, a line each: id, kind, safety, where it is defined, its forms,
    and why it is right (when the rule says), separated by tabs."""
    ruleset = load_ruleset(rule_paths, no_default_rules)
    for rule in ruleset.rules:
        forms = ", ".join(f"{k.find} -> {k.replace or '(removed)'}" for k in keys_of(rule))
        if forms:
            what = forms
        elif isinstance(rule, PatternRule):
            what = f"/{rule.regex}/ -> {rule.replace!r}"
        elif isinstance(rule, StructureRule):
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
    except (BrokenPipeError, PipeClosed):
        # The reader went away (``cleanup fix - | head``): nothing more can be written.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
    except Exception:  # exit status 1 means "edits found"; a crash must not look like it
        import traceback

        traceback.print_exc()
        click.echo("error: internal error in cleanup (the traceback above says where)", err=True)
        sys.exit(EXIT_ERROR)
