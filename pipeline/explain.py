"""Why each number in one input was kept or vetoed: `explain(path) -> list[CandidateDecision]` and
`render_explanation(decisions, console)`. Reads one input file (any supported input; for JSONL/CSV
one row or the first rows) through the whole pipeline; writes nothing.

A debugging view for the number finder: every candidate in order, kept (kind, value, unit, the rule
that read it) or vetoed (the veto's code and words), with its sentence.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.extract import prepare_doc
from pipeline.io.inputs import iter_inputs
from pipeline.records import Article, InputFailure


@dataclass(frozen=True)
class CandidateDecision:
    """One number candidate and what the finder decided. Offsets index the input as given, like
    the claims table's char_start/char_end."""

    doc_id: str
    source_path: str
    char_start: int
    char_end: int
    text: str  # the number as written
    sentence: str  # the source sentence holding it
    sentence_start: int  # where `sentence` starts in the input
    kept: bool
    kind: str | None = None  # kept: money | percent | count | ratio | quantity
    value: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    rule: str | None = None  # kept: the rule that read it (money, count_words, ...)
    veto: str | None = None  # vetoed: the veto's code (year, date, age, score, ...)
    reason: str | None = None  # vetoed: the veto's words


class ExplainError(Exception):
    """The input cannot be explained: a missing file, a row that is not there, an unreadable row."""


def explain(path: Path, nlp: Language | None = None, *, model: str | None = None, row: int | None = None,
            rows: int = 1) -> list[CandidateDecision]:
    """The number candidates of one input file, in order. A .txt or .html file is one article; for
    JSONL/CSV, `row` picks the N-th record (1-based), else the first `rows` records are read."""
    if not path.exists():
        raise ExplainError(f"{path}: no such file")
    if not path.is_file():
        raise ExplainError(f"{path}: not a file; explain reads one input file (use `claims extract` for folders)")
    if nlp is None:
        from pipeline.nlp import load_pipeline

        nlp = load_pipeline(model=model)
    decisions: list[CandidateDecision] = []
    for article in _articles(path, row, rows):
        doc = nlp(prepare_doc(nlp, article))
        decisions.extend(decisions_of(doc))
    return decisions


def _articles(path: Path, row: int | None, rows: int) -> Iterator[Article]:
    """The chosen records of `path`; a chosen record that could not be read is an ExplainError."""
    if row is not None and row < 1:
        raise ExplainError(f"{path}: --row counts from 1, not {row}")
    first, last = (row, row) if row is not None else (1, max(rows, 1))
    seen = 0
    for item in iter_inputs([path]):
        seen += 1
        if seen < first:
            continue
        if isinstance(item, InputFailure):
            raise ExplainError(item.reason if item.source_path in item.reason else f"{item.source_path}: {item.reason}")
        yield item
        if seen >= last:
            return
    if row is not None and seen < row:
        raise ExplainError(f"{path}: --row {row}, but the file holds {seen} record(s)")


def decisions_of(doc: Doc) -> list[CandidateDecision]:
    """The kept (doc.spans["numbers"]) and vetoed (doc.spans["rejected_numbers"]) candidates of a
    processed doc, in order of their place in the text."""
    article: Article = doc._.article
    decisions = [_decision(doc, article, span, kept=True) for span in doc.spans.get("numbers", [])]
    decisions += [_decision(doc, article, span, kept=False) for span in doc.spans.get("rejected_numbers", [])]
    return sorted(decisions, key=lambda d: (d.char_start, not d.kept, d.char_end))


def _decision(doc: Doc, article: Article, span: Span, *, kept: bool) -> CandidateDecision:
    amount = span._.amount if kept else None
    start = amount.start if amount and amount.start >= 0 else span.start_char
    end = amount.end if amount and amount.end >= 0 else span.end_char
    sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
    orig_start, orig_end = article.to_original(start), article.to_original(end)
    sentence_start, sentence_end = article.to_original(sent.start_char), article.to_original(sent.end_char)
    sentence = article.original_text[sentence_start:sentence_end]
    sentence_start += len(sentence) - len(sentence.lstrip())
    common = dict(doc_id=article.doc_id, source_path=article.source_path, char_start=orig_start, char_end=orig_end,
                  text=article.original_text[orig_start:orig_end], sentence=sentence.strip(), sentence_start=sentence_start)
    if amount is not None:
        return CandidateDecision(**common, kept=True, kind=amount.kind, value=amount.value, unit=amount.unit,
                                 qualifier=amount.qualifier, rule=amount.rule)
    veto = span._.veto
    return CandidateDecision(**common, kept=False, veto=veto.code if veto else None, reason=veto.words if veto else None)


def render_explanation(decisions: list[CandidateDecision], console: Console) -> None:
    """Per article, each sentence that holds a candidate (candidates underlined: green kept, red
    vetoed), then one line per candidate. Article text goes through rich.markup.escape or Text."""
    if not decisions:
        console.print("no number candidates found")
        return
    for doc_id, article_decisions in _by_key(decisions, lambda d: (d.doc_id, d.source_path)):
        kept = sum(d.kept for d in article_decisions)
        console.rule(f"{escape(doc_id[0])} [dim]({escape(doc_id[1])})[/]: "
                     f"{kept} kept, {len(article_decisions) - kept} vetoed", align="left")
        for _, sentence_decisions in _by_key(article_decisions, lambda d: d.sentence_start):
            console.print(_highlighted(sentence_decisions))
            table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
            for decision in sentence_decisions:
                if decision.kept:
                    table.add_row("  [green]kept[/]", escape(decision.text), _what(decision), f"[dim]rule[/] {escape(decision.rule or '')}")
                else:
                    table.add_row("  [red]vetoed[/]", escape(decision.text), f"[red]{escape(decision.veto or '')}[/]",
                                  escape(decision.reason or ""))
            console.print(table)
    kept = sum(d.kept for d in decisions)
    console.print(f"{len(decisions)} candidates: {kept} kept, {len(decisions) - kept} vetoed")


def _by_key(decisions: list[CandidateDecision], key) -> list[tuple[object, list[CandidateDecision]]]:
    """Consecutive runs of decisions sharing `key`, in order."""
    runs: list[tuple[object, list[CandidateDecision]]] = []
    for decision in decisions:
        if runs and runs[-1][0] == key(decision):
            runs[-1][1].append(decision)
        else:
            runs.append((key(decision), [decision]))
    return runs


def _highlighted(decisions: list[CandidateDecision]) -> Text:
    """The candidates' sentence (a Text: never read as markup), each candidate underlined."""
    text = Text(decisions[0].sentence, style="dim")
    for decision in decisions:
        at = decision.char_start - decision.sentence_start
        text.stylize("bold green underline" if decision.kept else "bold red underline", at, at + len(decision.text))
    return text


def _what(decision: CandidateDecision) -> str:
    value = float(decision.value or 0.0)
    shown = f"{value:,.0f}" if value.is_integer() and abs(value) < 1e15 else f"{value:,.6g}"
    parts = [decision.kind or "", shown, decision.unit or ""]
    if decision.qualifier:
        parts.append(f"({decision.qualifier})")
    return escape(" ".join(p for p in parts if p))
