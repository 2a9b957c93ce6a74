"""Date the article. Reads doc._.article (published, text) and doc._.segments; writes doc._.publication."""
from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.dates.calendar import Reference, whole_month
from pipeline.dates.finder import DEFAULT_CUES, DEFAULT_NAMES, DateFinder, load_finder, parse_calendar_date
from pipeline.io.structure import blank
from pipeline.records import Article, Publication, Segment

# "September 21, 2017 at 9:31 am": the header of a reader comment (also when structure missed the block).
_COMMENT_STAMP = re.compile(r"[ \t\xa0]*(?:at|,|-|\|)?[ \t\xa0]*\d{1,2}[:.]\d\d[ \t\xa0]*[ap]\.?m\b\.?", re.I)
# "This article first appeared in The Local Government Chronicle on 10th September 2019."
_REPUBLISHED = re.compile(r"\b(?:first|originally)\s+(?:appeared|published|ran)\b[^.\n]{0,120}?\bon\s+", re.I)
# "The headline was amended on 20 September": a correction comes after publication.
_CORRECTED = re.compile(r"\b(?:amended|corrected|updated|changed|clarified)\s+on\s+", re.I)
# A line of running text: eight words or more ending like a sentence.
_BODY_SENTENCE = re.compile(r"^\s*(?:\S+\s+){7,}\S*[.!?][\"'”’)]*\s*$")
_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
# "The committee will decide ... on Monday 25 September": an announced event comes after publication.
_ANNOUNCED = re.compile(
    r"[^.!?\n]*\b(?:will|shall|(?:is|are) (?:due|set|expected) to|(?:is|are) to)\b[^.!?\n]*?"
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b[^.!?\n]*",
)
_NEXT_WEEK = re.compile(r"\bnext week\b", re.I)


@Language.factory(
    "publication_dater",
    requires=["doc._.article", "doc._.segments"],
    assigns=["doc._.publication"],
    default_config={
        "cues": str(DEFAULT_CUES),
        "names": str(DEFAULT_NAMES),
        "byline_lines": 12,
        "byline_max_chars": 160,
        "inferred_window_days": 60,
    },
)
def make_publication_dater(
    nlp: Language, name: str, cues: str, names: str, byline_lines: int, byline_max_chars: int, inferred_window_days: int
) -> "PublicationDater":
    return PublicationDater(
        load_finder(cues, names),
        byline_lines=byline_lines,
        byline_max_chars=byline_max_chars,
        inferred_window_days=inferred_window_days,
    )


class PublicationDater:
    """Metadata first, then a dated byline line, then bounds from reader comments and corrections.

    Bounds are recorded as bounds: an article whose first comment is dated 21 September 2017 was
    published on or before that day; we take it as published within `inferred_window_days` before
    (comments on news pages come within days, and a window keeps year-less dates resolvable) and
    leave `date` empty rather than dress the guess up as a fact.
    """

    def __init__(
        self,
        finder: DateFinder,
        *,
        byline_lines: int = 12,
        byline_max_chars: int = 160,
        inferred_window_days: int = 60,
    ):
        self.finder = finder
        self.byline_lines = byline_lines
        self.byline_max_chars = byline_max_chars
        self.window = timedelta(days=inferred_window_days)

    def __call__(self, doc: Doc) -> Doc:
        article: Article | None = doc._.article
        text = article.text if article is not None else doc.text
        published = article.published if article is not None else None
        default = article.published_default if article is not None else None
        doc._.publication = self.date_article(text, published, doc._.segments, default=default)
        return doc

    def date_article(self, text: str, published: str | None = None, segments: list[Segment] | None = None,
                     *, default: date | None = None) -> Publication:
        """`default` is the run's date for undated articles (claims extract --published): the
        article's own metadata and byline come first, and bounds from its reader comments overrule
        a given date outside them (the article says it was not published then)."""
        own = self.from_metadata(published) or self.from_byline(text, segments)
        if own:
            return own
        bounds = self.from_bounds(text, segments)
        if default and (bounds is None or bounds.earliest <= default <= bounds.latest):
            return Publication(default, "given", text=default.isoformat())
        return bounds or Publication()

    # -- metadata

    def from_metadata(self, published: str | None) -> Publication | None:
        if not published or not published.strip():
            return None
        iso = _ISO_DAY.match(published)
        if iso:  # "2014-03-10", "2014-03-10T09:00:00Z": no need for dateparser
            try:
                return Publication(date(*map(int, iso.groups())), "metadata", text=published)
            except ValueError:
                pass
        parsed = parse_calendar_date(published.strip()[:80])
        if parsed is None:
            return None
        day, granularity = parsed
        if granularity == "day":
            return Publication(day, "metadata", text=published)
        if granularity == "month":  # "March 2014": only the bounds are known
            first, last = whole_month(day.year, day.month)
            return Publication(None, "metadata", first, last, published)
        return None

    # -- byline

    def from_byline(self, text: str, segments: list[Segment] | None) -> Publication | None:
        """A short line near the top holding a full date ("Monday, March 10, 2014"), else 'first appeared ... on <date>'."""
        for start, line in self._head_lines(text, segments):
            if len(line.strip()) > self.byline_max_chars:
                continue
            for mention in self.finder.find(line):
                if mention.kind == "day" and mention.period is not None and mention.period.basis == "explicit":
                    return Publication(mention.period.start, "byline", text=mention.text)
        for match in _REPUBLISHED.finditer(text):
            mention = self._date_at(text, match.end())
            if mention is not None:
                # The article says when it first appeared: that is its date (it may have been re-posted later).
                return Publication(mention.period.start, "byline", text=text[match.start(): match.end()] + mention.text)
        return None

    def _head_lines(self, text: str, segments: list[Segment] | None) -> list[tuple[int, str]]:
        if segments:
            bylines = [(s.start, text[s.start: s.end]) for s in segments if s.section == "byline" and s.kind != "republished"]
            if bylines:
                return bylines
        boilerplate = [(s.start, s.end) for s in segments or () if s.section == "boilerplate"]
        lines, offset = [], 0
        for line in text.split("\n"):
            if line.strip() and not any(start <= offset < end for start, end in boilerplate):
                if _BODY_SENTENCE.search(line):
                    break  # bylines come before the body: a dated sentence below is news, a comment, a note
                lines.append((offset, line))
            offset += len(line) + 1
            if len(lines) >= self.byline_lines:
                break
        return lines

    def _date_at(self, text: str, position: int):
        for mention in self.finder.find(text[position: position + 40]):
            if mention.start == 0 and mention.kind == "day" and mention.period is not None and mention.period.basis == "explicit":
                return mention
        return None

    # -- inferred bounds

    def comment_dates(self, text: str, segments: list[Segment] | None) -> list[tuple[date, str]]:
        """Dated reader-comment headers: a full date followed by a time of day."""
        found = []
        for stamp in _COMMENT_STAMP.finditer(text):
            # Only the few characters before a time of day are handed to the finder, never the whole text.
            window_start = max(0, stamp.start() - 45)
            for mention in self.finder.find(text[window_start: stamp.start()]):
                if (window_start + mention.end == stamp.start() and mention.kind == "day"
                        and mention.period is not None and mention.period.basis == "explicit"):
                    found.append((mention.period.start, mention.text + stamp.group(0)))
        return found

    def from_bounds(self, text: str, segments: list[Segment] | None) -> Publication | None:
        comments = self.comment_dates(text, segments)
        if not comments:
            return None
        latest, evidence = min(comments)
        earliest = latest - self.window
        # A correction note narrows the latest day; its year-less date takes its year from the comments.
        reference = Reference(earliest, latest)
        for match in _CORRECTED.finditer(text):
            mention = next(iter(self.finder.find(text[match.end(): match.end() + 40], reference)), None)
            if mention is None or mention.start != 0 or mention.kind != "day" or mention.period is None:
                continue
            corrected = mention.period.start
            if earliest <= corrected < latest:
                latest, evidence = corrected, text[match.start(): match.end()] + mention.text
        earliest, latest, evidence = self.narrow_by_events(text, segments, earliest, latest, evidence)
        return Publication(None, "inferred", earliest, latest, evidence)

    def narrow_by_events(self, text: str, segments: list[Segment] | None, earliest: date, latest: date,
                         evidence: str) -> tuple[date, date, str]:
        """An article announcing "on Monday 25 September" was published before it; one that also
        says "next week" was published in the week before that event's week."""
        body = blank(text, segments or [])  # reader comments talk about their own weeks
        next_week = _NEXT_WEEK.search(body) is not None
        reference = Reference(earliest, latest)
        for match in _ANNOUNCED.finditer(body):
            for mention in self.finder.find(match.group(0), reference):
                period = mention.period
                weekday_named = re.search(r"day\b", mention.text, re.I)
                if mention.kind != "day" or period is None or period.start is None or not weekday_named:
                    continue
                event = period.start
                if event <= earliest:
                    continue
                new_latest = min(latest, event - timedelta(days=1))
                new_earliest = earliest
                if next_week:
                    week_start = event - timedelta(days=event.weekday())
                    new_earliest = max(earliest, week_start - timedelta(days=7))
                    new_latest = min(new_latest, week_start - timedelta(days=1))
                if new_earliest <= new_latest:
                    earliest, latest = new_earliest, new_latest
                    evidence = f"{evidence}; announced {mention.text.strip()}" + ("; 'next week'" if next_week else "")
        return earliest, latest, evidence
