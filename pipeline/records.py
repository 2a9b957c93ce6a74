"""The small typed records the pipeline passes between components and writes to the table."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field
from datetime import date


@dataclass(frozen=True)
class Council:
    """One principal council from the register (models/councils*.csv)."""

    code: str  # GSS code, e.g. E10000020
    name: str  # official name, e.g. "Norfolk County Council"
    short_name: str  # the place, e.g. "Norfolk"
    kind: str  # county | district | unitary | metropolitan | london_borough | ...
    nation: str  # England | Wales | Scotland | Northern Ireland
    parent_code: str | None = None  # the county of a district
    start: date | None = None  # None: before the register's horizon
    end: date | None = None  # None: still in existence
    replaced_by: tuple[str, ...] = ()

    def alive_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


AMOUNT_KINDS = ("money", "percent", "count", "ratio", "quantity", "duration")


@dataclass(frozen=True)
class Amount:
    """A normalised number: 12000000.0 GBP for "£12 million". Fields after `kind` are keyword-only."""

    value: float
    kind: str  # money | percent | count | ratio | quantity | duration
    _: KW_ONLY
    unit: str | None = None  # GBP, USD, EUR, %, pp, metre, ... (None for bare counts)
    per: str | None = None  # year, month, week, day, ... for "£400 a year"
    qualifier: str | None = None  # approximately, almost, more than, ...
    # what the qualifier says (models/number_cues.csv): lower_bound | upper_bound | just_below | just_above | approximate
    direction: str | None = None
    change: str | None = None  # up | down: the figure is a change ("down 12p", "shares rose 5p")
    upper: float | None = None  # the upper bound of a vague quantity ("hundreds of": 200 at least, up to 999)
    rule: str = ""  # which rule produced it, for reviewers
    start: int = -1  # exact offsets of the number's words in doc.text (the span may be wider
    end: int = -1  # when a token holds two numbers, as in "£1,000-£2,000")


@dataclass(frozen=True)
class Period:
    """When a figure holds: ISO-able dates plus the words they came from."""

    start: date | None
    end: date | None
    text: str = ""
    basis: str = "none"  # explicit | relative | publication | none
    char_start: int | None = None  # where `text` stands in the NLP text, if anywhere
    char_end: int | None = None
    reason: str = ""  # why start/end are empty or open ("publication date too uncertain ..."), for reviewers


@dataclass(frozen=True)
class Publication:
    """The article's publication date, or the bounds it must lie within."""

    date: date | None = None
    basis: str = "none"  # metadata | byline | given (claims extract --published) | inferred | none
    earliest: date | None = None
    latest: date | None = None
    text: str = ""


@dataclass(frozen=True)
class CouncilLink:
    """Which council a claim is about and why."""

    council: Council | None = None
    scope: str = "unknown"  # council | area (the council's area as a place) | national | other | unknown
    basis: str = "none"  # sentence | paragraph | article | none
    confidence: float = 0.0
    flags: tuple[str, ...] = ()
    candidates: tuple[Council, ...] = ()  # when ambiguous
    other_body: str | None = None  # GSS code of a combined authority or the GLA (scope other)
    mention_kind: str = ""  # what linked it: council_name | place | town | reference, or the cue's kind


@dataclass(frozen=True)
class Segment:
    """A stretch of an article's text [start, end) and what it is."""

    start: int
    end: int
    section: str  # headline | standfirst | byline | body | boilerplate
    kind: str = ""  # for boilerplate: comments | subscription | more_from | click_here | advert | photo_credit | duplicate | list_numbering ...


@dataclass
class Article:
    """One input article as read: the original text, the text the NLP sees, and metadata."""

    doc_id: str
    source_path: str  # the file, plus ":LINE" for JSONL/CSV
    original_text: str  # what char_start/char_end index into
    text: str  # repaired text (ftfy); same as original_text when nothing was repaired
    offset_map: list[int] | None = None  # text offset -> original offset; None when identical (len(text)+1 entries)
    title: str | None = None
    published: str | None = None  # as given in metadata, unparsed
    url: str | None = None
    source: str | None = None
    author: str | None = None
    encoding: str = "utf-8"
    meta: dict[str, str] = field(default_factory=dict)  # other input fields, written as meta_* columns
    text_path: str | None = None  # where the original text is saved for citations (HTML/JSONL/CSV)
    id_clash_of: str | None = None  # the doc_id an earlier input already had; this one got a "-N" suffix
    duplicate_of: str | None = None  # the doc_id of an earlier article with the same text: no claims extracted
    published_default: date | None = None  # the run's --published date, for an article without a date of its own
    # A piece of a longer article (pipeline.processing.pieces): `text` starts at this offset of the
    # whole article's repaired text, which `offset_map` (shared with the whole article) maps back.
    text_offset: int = 0

    def to_original(self, offset: int) -> int:
        offset += self.text_offset
        return offset if self.offset_map is None else self.offset_map[offset]


@dataclass
class ClaimRow:
    """One row of the claims table as claim_builder makes it (pipeline.schema.CLAIMS describes
    each column; tests check the two agree). Field order is the column order."""

    claim_id: str
    doc_id: str
    source_path: str
    line: int
    char_start: int
    char_end: int
    text: str
    sentence: str
    sentence_start: int  # the sentence's offsets in the source, like char_start/char_end
    sentence_end: int
    sentence_offset: int | None  # where text starts in sentence; None when the number runs past it
    kind: str
    value: float
    upper: float | None  # the upper bound of a vague quantity ("hundreds of" is 200 to 999)
    unit: str | None
    measure: str | None
    qualifier: str | None
    per: str | None
    change_id: str | None
    role: str | None
    change: str | None  # up | down for a figure that is a change ("down 12p")
    council_code: str | None
    council_name: str | None
    scope: str
    link_basis: str
    period_start: str | None
    period_end: str | None
    period_text: str | None
    period_basis: str
    published: str | None
    attribution: str | None
    section: str
    confidence: float
    flags: str
    # beyond the required columns
    published_basis: str = "none"
    published_earliest: str | None = None
    published_latest: str | None = None
    group_id: str | None = None
    rule: str = ""
    encoding: str = "utf-8"
    title: str | None = None
    subject: str | None = None  # the named body or person the figure belongs to when not a council
    other_body_code: str | None = None  # GSS code of a combined authority or the GLA (scope other)


def claim_record(claim: ClaimRow, *, meta: Mapping[str, str] | None = None, text_path: str | None = None
                 ) -> dict[str, object]:
    """A claim as one flat staged row (here, not in pipeline.tables.files, so that a worker process
    imports neither pandas nor pyarrow): its fields, the input's other fields as meta_*, and
    text_path when the article's text was saved."""
    record = dict(vars(claim))  # a flat record: dataclasses.asdict's deep copy cost 0.2 ms a claim
    for key, value in (meta or {}).items():
        record[f"meta_{key}"] = value
    if text_path:
        record["text_path"] = text_path
    return record


@dataclass
class ArticleRow:
    """One row of articles.csv (pipeline.schema.ARTICLES). Field order is the column order."""

    doc_id: str
    source_path: str
    title: str | None
    published: str | None
    published_basis: str
    published_earliest: str | None
    published_latest: str | None
    council_code: str | None
    council_name: str | None
    claims: int
    flagged: int
    boilerplate: str
    encoding: str
    text_path: str | None
    status: str  # ok | no_claims | duplicate
    id_clash_of: str | None
    duplicate_of: str | None


@dataclass(frozen=True)
class InputFailure:
    """An input that was not read (failed or skipped); it goes to outputs/errors.csv with its reason."""

    source_path: str
    reason: str
    doc_id: str | None = None
    status: str = "failed"  # failed: could not be read | skipped: found in a folder and deliberately not read
