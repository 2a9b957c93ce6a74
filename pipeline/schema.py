"""The output tables' columns in one place: name, type, description and the files that carry each.

Writers (pipeline.tables), readers, the README's column table (tests/test_schema.py checks it) and
outputs/datapackage.json all read this module; nothing else lists a table's columns.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass

# Frictionless field types (what datapackage.json declares) and the pandas dtype each is held in.
PANDAS_DTYPES = {"string": "string", "date": "string", "integer": "Int64", "number": "float64"}

CLAIMS_FILES = ("claims.csv", "claims.parquet", "claims.jsonl", "claims_reviewed.csv")


@dataclass(frozen=True)
class Column:
    """One column of an output table."""

    name: str  # a name, or a pattern such as "meta_*" for columns that depend on the input
    type: str  # string | date | integer | number (Frictionless field types)
    description: str
    outputs: tuple[str, ...]  # the files that carry it
    label: str = ""  # the README row it shares with its neighbours ("`char_start`, `char_end`")
    added_by: str = ""  # "" when the row is made; "review" / "consistency" when finalize adds it
    optional: bool = False  # written only when some row has it

    @property
    def dtype(self) -> str:
        return PANDAS_DTYPES[self.type]

    @property
    def is_pattern(self) -> bool:
        return "*" in self.name

    def matches(self, name: str) -> bool:
        return fnmatch.fnmatchcase(name, self.name) if self.is_pattern else name == self.name


@dataclass(frozen=True)
class Table:
    """One output table: its columns in order and the files it is written to."""

    name: str
    files: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str = ""

    def column(self, name: str) -> Column | None:
        """The column `name` is, a pattern column included ("meta_category" is a `meta_*`)."""
        for column in self.columns:
            if column.matches(name):
                return column
        return None

    def names(self, *, added_by: tuple[str, ...] | None = None) -> list[str]:
        """Fixed column names in order (patterns and optional columns left out); `added_by`
        keeps only columns added at those stages ("" = made with the row)."""
        return [c.name for c in self.columns if not c.is_pattern and not c.optional
                and (added_by is None or c.added_by in added_by)]

    def dtypes(self) -> dict[str, str]:
        return {c.name: c.dtype for c in self.columns if not c.is_pattern}

    def order(self, present: list[str], *, stages: tuple[str, ...] = ("",)) -> list[str]:
        """The columns a file holding `present` has, in order: every column added at one of
        `stages` ("" = made with the row), plus the other columns that are `present`, each in its
        place. Pattern columns (meta_*) are sorted in theirs; columns the schema does not know
        are sorted in with them."""
        unknown = sorted(n for n in present if self.column(n) is None)
        ordered: list[str] = []
        for column in self.columns:
            if column.is_pattern:
                ordered += sorted(set(n for n in present if column.matches(n)) | set(unknown))
                unknown = []
            elif (column.added_by in stages and not column.optional) or column.name in present:
                ordered.append(column.name)
        return ordered + unknown


def _columns(outputs: tuple[str, ...], specs: list[tuple], **shared: object) -> tuple[Column, ...]:
    """Columns from (names, type, description) specs; names joined by "," share one README row."""
    columns = []
    for names, kind, description, *options in specs:
        parts = [n.strip() for n in names.split(",")]
        label = ", ".join(f"`{n}`" for n in parts)
        extra = {**shared, **(options[0] if options else {})}
        columns += [Column(n, kind, description, outputs, label, **extra) for n in parts]  # type: ignore[arg-type]
    return tuple(columns)


_MACHINE = ("council_code", "council_name", "period_start", "period_end", "value", "unit", "kind", "measure",
            "link_basis", "period_basis", "flags")
_MACHINE_DESCRIPTION = ("the pipeline's own value of each correctable field (council, period, value, unit, kind, "
                        "measure, link/period basis, flags), kept beside a reviewer's correction (a corrected "
                        "council clears `no_council` and `ambiguous_council`, a corrected period `no_period`)")
_CLAIM_TYPES = {"period_start": "date", "period_end": "date", "value": "number"}

CLAIMS = Table("claims", CLAIMS_FILES, _columns(CLAIMS_FILES, [
    ("claim_id", "string", "16 hex digits from (doc_id, sentence, number text, occurrence in that sentence): stable "
     "across re-runs of an unchanged article, and for a sentence that moves when other text is edited"),
    ("doc_id", "string", "the file stem, or the `id` field of a JSONL/CSV row (made safe for a file name and unique)"),
    ("source_path", "string", "the input file; `file:LINE` for a JSONL line or CSV row"),
    ("line", "integer", "1-based line of `char_start` in the source text"),
    ("char_start, char_end", "integer", "Unicode offsets into the source text: `text == source[char_start:char_end]`. "
     "For `.txt` the source is the file as decoded (mojibake kept: \"Â£69m\"); for HTML/JSONL/CSV it is the article "
     "text saved as `outputs/texts/<doc_id>.txt` (`text_path`)"),
    ("text", "string", "the number as written in the source"),
    ("sentence", "string", "the source sentence containing it (a sentence never crosses a line break)"),
    ("sentence_start, sentence_end", "integer", "offsets of `sentence` in the source text, like `char_start`/`char_end`: "
     "`sentence == source[sentence_start:sentence_end]`"),
    ("sentence_offset", "integer", "where `text` starts within `sentence`: "
     "`sentence[sentence_offset:sentence_offset + len(text)] == text` (empty when the number runs past its sentence)"),
    ("kind", "string", "money | percent | count | ratio | quantity | duration"),
    ("value", "number", "the normalised number (12000000.0 for £12 million; 28.4 for 28.4%; 0.9 for nine out of 10; "
     "0.5 for 50p)"),
    ("upper", "number", "the upper bound of a vague quantity (\"hundreds of homes\": value 200 with qualifier at least, "
     "upper 999; \"tens of thousands\": 20000 to 99999, from `vague` rows of `models/number_cues.csv`); empty otherwise"),
    ("unit", "string", "GBP, USD, EUR, JPY, % , pp, x (a multiplier: \"fivefold\"), year/month/week/day/hour/minute "
     "for durations, or a quantulum3 unit name (metre, tonne, ...); empty for counts and shares"),
    ("measure", "string", "what is counted or spent on, best effort from the sentence (\"looked-after children\", "
     "\"funding gap for children's services\"); empty when not found or unsure (a verb, a time or the "
     "number's own unit is never a measure)"),
    ("qualifier", "string", "approximately, almost, around, about, nearly, more than, over, at least, up to, less "
     "than, just over, just under"),
    ("per", "string", "year, month, week, day, hour, head, person, pupil, child, household, resident "
     "(\"£400 a year\")"),
    ("change_id, role", "string", "the two ends of a range (low/high) or change (from/to)"),
    ("change", "string", "up | down when the figure is itself a change (\"down 12p\", \"shares rose 5p\"; the "
     "`change_word` rows of `models/number_cues.csv`); the value keeps its sign as written"),
    ("council_code, council_name", "string", "the council the figure is about, or whose area it is about (GSS "
     "code, official name, dated to the article); empty with `ambiguous_council` when the name could mean more than "
     "one council"),
    ("scope", "string", "council (the council as an organisation: its budget, staff, decisions, services, council "
     "tax, its own statistics) | area (a figure about the council's area named as such in the figure's sentence: "
     "\"unemployment in Hartlepool rose to 8%\") | national (about a nation or councils in general) | other (Ofsted, "
     "a company, a court, a devolved or regional body, a region such as London) | unknown"),
    ("link_basis", "string", "sentence | paragraph | article | none: which rule linked the council"),
    ("period_start, period_end", "date", "ISO dates the figure refers to (2017/18 → 2017-04-01..2018-03-31)"),
    ("period_text", "string", "the words the period came from (\"in the 2017/18\")"),
    ("period_basis", "string", "explicit | relative | publication | none"),
    ("published", "date", "the article's publication date, if known"),
    ("attribution", "string", "who states the figure, best effort (\"A report submitted to the council\", "
     "\"Cllr Richard Watts, Chair of ...\")"),
    ("section", "string", "headline (the headline and standfirst) | body"),
    ("confidence", "number", "0-1: the rule that found the number (money 0.95 ... count words 0.75), times less "
     "when the council link is weak or missing and when no period was found"),
    ("flags", "string", "`;`-separated reasons to look: `no_council`, `no_period`, `ambiguous_council`, `bound` "
     "(a limit such as \"more than 23,000\", not a point value: a qualifier whose `direction` in "
     "`models/number_cues.csv` is `lower_bound` or `upper_bound`), and the review issue's consistency flags"),
    ("published_basis", "string", "metadata | byline | inferred | none"),
    ("published_earliest, published_latest", "date", "bounds when the date itself is not stated (e.g. before the "
     "first reader comment)"),
    ("group_id", "string", "shared by a headline figure and the body figure stating the same fact"),
    ("rule", "string", "the finder rule that produced the number (money, percent, count_digits, ratio_out_of, "
     "quantity_quantulum3, ...)"),
    ("encoding", "string", "the input's text encoding (utf-8, cp1252, ...)"),
    ("title", "string", "the article's title (metadata, else its headline line, else its first line; cut at 300 characters)"),
    ("subject", "string", "the actor the figure belongs to when it is not a council: a company, charity, "
     "government department or person named in the number's clause (\"Ofsted\", \"Highways England\"); empty "
     "when none is named"),
    ("other_body_code", "string", "scope other: the GSS code of the combined authority (E47...) or the Greater "
     "London Authority (E61000001) the figure is about, from mySociety's register"),
    ("meta_*", "string", "any other JSONL/CSV field, kept"),
    ("text_path", "string", "HTML/JSONL/CSV inputs: the saved article text the offsets index (the column is "
     "written when any input is one)", {"optional": True}),
]) + tuple(
    Column(f"machine_{name}", _CLAIM_TYPES.get(name, "string"), _MACHINE_DESCRIPTION, CLAIMS_FILES, "`machine_*`",
           added_by="review")
    for name in _MACHINE
) + _columns(CLAIMS_FILES, [
    ("review_status", "string", "pending | accepted | rejected | corrected (from `outputs/reviews.csv`)"),
    ("review_note, reviewer, reviewed_at", "string", "the latest decision's note, who made it, when"),
], added_by="review") + _columns(CLAIMS_FILES, [
    ("consistency_note", "string", "why a consistency flag was raised"),
], added_by="consistency"), "One row per number that states a fact or a forecast, in document order.")

ARTICLES = Table("articles", ("articles.csv",), _columns(("articles.csv",), [
    ("doc_id", "string", "the article's doc_id, as in the claims table"),
    ("source_path", "string", "the input file; `file:LINE` for a JSONL line or CSV row"),
    ("title", "string", "the article's title (metadata, else its headline line, else its first line; cut at 300 characters)"),
    ("published", "date", "the article's publication date, if known"),
    ("published_basis", "string", "metadata | byline | inferred | none"),
    ("published_earliest, published_latest", "date", "bounds when the date itself is not stated"),
    ("council_code, council_name", "string", "the article's main council (headline, lede, most mentions)"),
    ("claims", "integer", "how many claims the article gave"),
    ("flagged", "integer", "how many of them carry a flag"),
    ("boilerplate", "string", "`;`-separated counts of the boilerplate blocks dropped, by kind (comments=2)"),
    ("encoding", "string", "the input's text encoding"),
    ("text_path", "string", "HTML/JSONL/CSV inputs: the saved article text the offsets index"),
    ("status", "string", "ok | no_claims | duplicate"),
    ("id_clash_of", "string", "the doc_id an earlier input already had; this one was renamed with -2, -3..."),
    ("duplicate_of", "string", "the doc_id of an earlier article with the same text (whitespace aside): no claims "
     "extracted from this one"),
]), "One row per article processed.")

ERRORS = Table("errors", ("errors.csv",), _columns(("errors.csv",), [
    ("source_path", "string", "the input"),
    ("doc_id", "string", "its doc_id, when it got that far"),
    ("status", "string", "failed (unreadable, empty, binary, malformed, broken link, permission denied, pipeline "
     "error) | skipped (not read on purpose: another file type, a pipe or device, a folder already read, an output "
     "folder) | no_claims | duplicate"),
    ("reason", "string", "why"),
]), "Every input that produced no rows, and why.")

_REVIEW_SPECS = [
    ("claim_id", "string", "the claim decided about"),
    ("status", "string", "accepted | rejected | corrected | note"),
    ("council_code, council_name", "string", "corrected council (`-`: none)"),
    ("period_start, period_end", "string", "corrected period, ISO dates (`-`: none)"),
    ("value", "number", "corrected value"),
    ("unit, kind, measure", "string", "corrected unit, kind, measure"),
    ("note", "string", "the reviewer's note"),
    ("reviewer", "string", "who decided"),
    ("timestamp", "string", "when (ISO 8601, UTC)"),
    ("doc_id, claim_text, sentence", "string", "the claim's article, number and sentence when decided, so a "
     "decision whose claim has gone can still be read"),
]
REVIEWS = Table("reviews", ("reviews.csv",), _columns(("reviews.csv",), _REVIEW_SPECS),
                "Every review decision, appended as it is made.")
ORPHANED_REVIEWS = Table("orphaned_reviews", ("orphaned_reviews.csv",), _columns(("orphaned_reviews.csv",), [
    *_REVIEW_SPECS,
    ("n_decisions", "integer", "how many rows of reviews.csv concern the claim"),
    ("suggested_claim_id", "string", "`;`-separated claims of the same article with the same number text: where "
     "the decision probably belongs (a hint, never applied)"),
]), "The latest decision about each claim that no longer exists.")

TABLES: dict[str, Table] = {t.name: t for t in (CLAIMS, ARTICLES, ERRORS, REVIEWS, ORPHANED_REVIEWS)}


def column_listing(table: str = "claims") -> list[tuple[str, str, str]]:
    """(column, dtype, description) for every column of `table`, e.g. for a spreadsheet's "columns" sheet."""
    return [(c.name, c.dtype, c.description) for c in TABLES[table].columns]


def markdown_table(table: str = "claims") -> str:
    """The README's column table: one row per label (columns sharing a description share a row)."""
    lines = ["| column | meaning |", "|---|---|"]
    seen: list[str] = []
    for column in TABLES[table].columns:
        label = column.label or f"`{column.name}`"
        if label not in seen:
            seen.append(label)
            cell = column.description.replace("|", r"\|")  # a "|" inside a cell must be escaped
            lines.append(f"| {label} | {cell} |")
    return "\n".join(lines)
