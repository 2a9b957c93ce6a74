"""Turn each number span into a claims-table row. Reads doc.spans["numbers"] and the attributes the
other components set (amount, period, council_link, publication, segments, article); writes doc._.claims.

Citations index the original input: `text == article.original_text[char_start:char_end]`, even when
the NLP saw repaired text (mojibake) — offsets go through `article.to_original`.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import extensions  # noqa: F401
from pipeline.components.article import article_of
from pipeline.extensions import doc_text
from pipeline.io import structure
from pipeline.meaning.describe import MAX_SENTENCE_CHARS, SENTENCE_WINDOW, describe
from pipeline.numbers.lexicon import BOUND_DIRECTIONS
from pipeline.records import Amount, ClaimRow, CouncilLink, Period, Publication, Segment

# How sure the number itself is, by the rule that found it; the row's confidence also
# reflects the council link and whether a period was found.
RULE_CONFIDENCE = {
    "money": 0.95,
    "money_pence": 0.85,
    "money_words": 0.85,
    "money_pence_words": 0.8,
    "percent": 0.95,
    "percent_words": 0.9,
    "ratio_out_of": 0.9,
    "ratio_fraction": 0.8,
    "count_digits": 0.85,
    "count_words": 0.75,
    "quantity_quantulum3": 0.8,
    "quantity_unit": 0.8,
}
HEADLINE_SECTIONS = frozenset({"headline", "standfirst"})


@Language.factory(
    "claim_builder",
    requires=[
        "doc._.article", "doc._.segments", "doc._.publication", "token.is_sent_start", "doc.spans",
        "span._.amount", "span._.change_id", "span._.role", "span._.period", "span._.council_link",
    ],
    assigns=["doc._.claims"],
    default_config={"spans_key": "numbers"},
)
def make_claim_builder(nlp: Language, name: str, spans_key: str) -> "ClaimBuilder":
    return ClaimBuilder(spans_key=spans_key)


class ClaimBuilder:
    def __init__(self, *, spans_key: str = "numbers") -> None:
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        doc._.claims = self.build(doc)
        return doc

    def build(self, doc: Doc) -> list[ClaimRow]:
        text_nlp = doc_text(doc)
        article = article_of(doc)
        publication: Publication = doc._.publication or Publication()
        segments: list[Segment] = doc._.segments or []
        segment_starts = [s.start for s in segments]
        line_starts = [0] + [m.end() for m in re.finditer(r"\n", article.original_text)]
        paragraphs = structure.paragraphs(text_nlp)
        occurrences: Counter[tuple[str, str]] = Counter()
        title = structure.title_cell(article.title or _headline_text(text_nlp, segments))
        claims: list[ClaimRow] = []
        sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        sentence_starts = [s.start for s in sentences]
        spans = sorted(doc.spans[self.spans_key], key=lambda s: (s._.amount.start if s._.amount else s.start_char))
        for span in spans:
            amount: Amount | None = span._.amount
            if amount is None:
                continue
            start = amount.start if amount.start >= 0 else span.start_char
            end = amount.end if amount.end >= 0 else span.end_char
            orig_start, orig_end = article.to_original(start), article.to_original(end)
            sent = sentences[bisect.bisect_right(sentence_starts, span.start) - 1]
            sent_start, sent_end = _trim(text_nlp, sent.start_char, sent.end_char)
            sentence_start, sentence_end = article.to_original(sent_start), article.to_original(sent_end)
            sentence, shown_from = _sentence_cell(article.original_text, sentence_start, sentence_end, orig_start, orig_end)
            section = _section(segments, segment_starts, start)
            period: Period = span._.period or Period(None, None)
            link: CouncilLink = span._.council_link or CouncilLink()
            text = article.original_text[orig_start:orig_end]
            occurrences[(sentence, text)] += 1
            claim_id = _claim_id(article.doc_id, sentence, text, occurrences[(sentence, text)])
            paragraph_start = structure.paragraph_of(sent.start_char, paragraphs)[0]
            meaning = describe(doc, sent, start, end, amount.kind, amount.per, text_nlp,
                               text_nlp[paragraph_start : sent.start_char] or _previous_paragraph(text_nlp, paragraph_start))
            flags = list(link.flags)
            if link.council is None and link.scope in ("council", "area", "unknown") and "no_council" not in flags:
                flags.append("no_council")
            if period.start is None and "no_period" not in flags:
                flags.append("no_period")
            if amount.direction in BOUND_DIRECTIONS:
                # a limit, not a point value ("more than", "up to"; not "just over", "almost"): compare with care
                flags.append("bound")
            claims.append(
                ClaimRow(
                    claim_id=claim_id,
                    doc_id=article.doc_id,
                    source_path=article.source_path,
                    line=bisect.bisect_right(line_starts, orig_start),
                    char_start=orig_start,
                    char_end=orig_end,
                    text=text,
                    sentence=sentence,
                    sentence_start=sentence_start,
                    sentence_end=sentence_end,
                    # the same coordinates as char_start, so a repeated number finds its own occurrence
                    sentence_offset=(orig_start - shown_from
                                     if sentence_start <= orig_start and orig_end <= sentence_end else None),
                    kind=amount.kind,
                    value=float(amount.value),
                    upper=amount.upper,
                    unit=amount.unit,
                    measure=meaning.measure,
                    qualifier=amount.qualifier,
                    per=meaning.per,
                    change_id=span._.change_id,  # made stable below
                    role=span._.role,
                    change=amount.change,
                    council_code=link.council.code if link.council else None,
                    council_name=link.council.name if link.council else None,
                    scope=link.scope,
                    link_basis=link.basis,
                    period_start=period.start.isoformat() if period.start else None,
                    period_end=period.end.isoformat() if period.end else None,
                    period_text=period.text or None,
                    period_basis=period.basis if period.start else "none",
                    published=publication.date.isoformat() if publication.date else None,
                    attribution=meaning.attribution,
                    subject=meaning.subject,
                    section="headline" if section in HEADLINE_SECTIONS else "body",
                    confidence=_confidence(amount, link, period),
                    flags=";".join(dict.fromkeys(flags)),
                    published_basis=publication.basis,
                    published_earliest=publication.earliest.isoformat() if publication.earliest else None,
                    published_latest=publication.latest.isoformat() if publication.latest else None,
                    rule=amount.rule,
                    encoding=article.encoding,
                    title=title,
                    other_body_code=link.other_body,
                )
            )
        _stable_change_ids(claims)
        _group_headline_with_body(claims)
        return claims


ELLIPSIS = "…"


def _sentence_cell(source: str, start: int, end: int, number_start: int, number_end: int) -> tuple[str, int]:
    """The `sentence` cell and where in the source it starts (so sentence_offset indexes the cell).

    A sentence longer than MAX_SENTENCE_CHARS is cut to a window around the number, marked with an
    ellipsis at each cut: a 1 MB table on one line with 5,000 figures would otherwise store 5 GB of
    sentence. sentence_start/sentence_end still cite the whole sentence."""
    if end - start <= MAX_SENTENCE_CHARS or not (start <= number_start and number_end <= end):
        return source[start:end], start
    left = max(start, number_start - SENTENCE_WINDOW)
    right = min(end, number_end + SENTENCE_WINDOW)
    before = ELLIPSIS if left > start else ""
    after = ELLIPSIS if right < end else ""
    return before + source[left:right] + after, left - len(before)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past white space: blanked boilerplate (a photo credit after a caption)
    is white space in the NLP text but words in the original, and must not join the sentence."""
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _claim_id(doc_id: str, sentence: str, text: str, occurrence: int) -> str:
    """Stable while the article's sentence and number are unchanged, wherever the sentence moves."""
    key = "\x1f".join((doc_id, " ".join(sentence.split()), text, str(occurrence)))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _stable_change_ids(claims: list[ClaimRow]) -> None:
    first_of: dict[str, str] = {}
    for claim in claims:
        if claim.change_id:
            first_of.setdefault(claim.change_id, claim.claim_id)
            claim.change_id = "chg-" + first_of[claim.change_id][:12]


def _group_headline_with_body(claims: list[ClaimRow]) -> None:
    """A headline figure and the body's figure stating the same fact share a group_id."""
    body = {}
    for claim in claims:
        if claim.section == "body":
            body.setdefault((claim.kind, claim.unit, round(claim.value, 6)), claim)
    for claim in claims:
        if claim.section == "headline":
            match = body.get((claim.kind, claim.unit, round(claim.value, 6)))
            if match:
                claim.group_id = match.group_id = match.group_id or "grp-" + match.claim_id[:12]


def _confidence(amount: Amount, link: CouncilLink, period: Period) -> float:
    score = RULE_CONFIDENCE.get(amount.rule, 0.7)
    if link.scope in ("council", "area"):
        score *= 0.6 + 0.4 * link.confidence
    elif link.scope == "unknown":
        score *= 0.6
    if period.start is None:
        score *= 0.85
    return round(score, 3)


def _section(segments: list[Segment], starts: list[int], offset: int) -> str:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and segments[i].start <= offset < segments[i].end:
        return segments[i].section
    return "body"


def _headline_text(text: str, segments: list[Segment]) -> str | None:
    for segment in segments:
        if segment.section == "headline":
            return text[segment.start : segment.end].strip() or None
    return structure.first_line(text)


def _previous_paragraph(text: str, paragraph_start: int) -> str:
    """A quote paragraph without a speaker: the speaker is often named just before it ("X said:")."""
    previous = text[max(0, paragraph_start - 400) : paragraph_start].rstrip()
    return previous.rsplit("\n", 1)[-1] if previous else ""
