"""Split an article's text into Segments (headline, standfirst, byline, body, boilerplate by kind); blank the boilerplate.

Rules work on lines (a paragraph is a line in scraped text) and only ever fire on short lines or
on explicit markers, so a one-line article (XSum, many CSV exports) stays body. What each rule
drops, and what it was checked on, is in models/README.md ("Inputs and article structure").
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from pipeline.dates.calendar import month_alternation
from pipeline.records import Segment

# Sections that carry the article's own claims; byline and boilerplate carry none.
CLAIM_SECTIONS = ("headline", "standfirst", "body")

HEADLINE_MAX_WORDS = 25
STANDFIRST_MIN_WORDS = 6  # "2000 GMT" after a dateline is not a standfirst
STANDFIRST_MAX_WORDS = 50
HEAD_ZONE_LINES = 5  # bylines and standfirsts are looked for in the first lines after the headline
FURNITURE_MAX_WORDS = 10  # a "short line" of page furniture: menu item, bullet of a price list
SUBSCRIPTION_REACH = 12  # how many lines a subscription block may extend around its price/subscribe line
# A paragraph ends at a blank line: two line breaks with only spaces between them (any space:
# scraped pages leave tabs and no-break spaces on empty lines).
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
TITLE_MAX_CHARS = 300  # the title cell of every row: a text whose first line is a whole table is not copied into each


def title_cell(title: str | None) -> str | None:
    """A title as it goes into every row of its article: cut after TITLE_MAX_CHARS characters (at a space
    where there is one), with an ellipsis. A title names an article; it is not a citation, and a text
    without a headline gives its first line, which may be a pasted table a megabyte long."""
    if not title or len(title) <= TITLE_MAX_CHARS:
        return title
    cut = title[:TITLE_MAX_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > TITLE_MAX_CHARS // 2 else cut).rstrip() + "…"


def first_line(text: str) -> str | None:
    """The first line of `text` that is not blank, stripped (a title for a text without one)."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None


# Longest first, as "Sep(?:t(?:ember)?)?" would try them; the patterns using it ignore case.
_MONTH = rf"(?:{month_alternation(longest_first=True)})\.?"
_TIME = r"(?:\s*(?:at|,|-|\|)?\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+"
_DAY = rf"(?:{_WEEKDAY})?"
_DATE = (rf"{_DAY}(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
         rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
         # "Tuesday, 1 March": no year, but the weekday makes it a dateline
         rf"|{_WEEKDAY}(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)){_TIME}")

# "Neil Puffett", "Updated: 10 March 2014", "September 11, 2019   By Pawda Tjoa, Senior Policy Researcher, NLGN"
DATE_LINE = re.compile(rf"^\s*(?:(?:Published|Updated|Posted|Last updated|First published)\s*:?\s*)?{_DATE}\s*"
                       rf"(?:(?:\||-|–|,)?\s*(?:By|Written by|Words by)\s+\S.*)?$", re.I)
BY_LINE = re.compile(r"^\s*(?:By|Written by|Words by|Reporting by)\s+[A-Z][\w.'’-]*(?:\s+\S+){0,14}\s*$")
NAME_LINE = re.compile(r"^\s*[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|da|di|le|la)){1,3}\s*$")
REPUBLISHED = re.compile(r"^\s*\W?(?:This|The)\s+(?:article|story|piece|post|blog|column)\s+(?:was\s+)?"
                         r"(?:first|originally|also)\s+(?:appeared|published|ran)\b", re.I)

# Reader comments start here and run to the end of the text.
COMMENTS_START = re.compile(
    r"^\s*(?:One|No|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|\d+)\s+(?:Responses?|Comments?|Replies|Thoughts?)\s+(?:to|on)\s+\S", re.I)
# Bare comment headings could be a subheading of the article, so they count only in its second half.
COMMENTS_HEADING = re.compile(
    r"^\s*(?:Leave a (?:Reply|Comment|Response)|Add (?:a|your) comment|Comments are closed|Post a comment"
    r"|Join the (?:conversation|discussion)|(?:\d+\s+)?(?:Reader\s+)?Comments?(?:\s*\(\d+\))?)\s*:?\s*$", re.I)
# "1. Hilary Searing September 21, 2017 at 9:31 am #": a numbered or "#"-ended name + date + time.
COMMENT_HEADER = re.compile(
    rf"^\s*(?:(?P<num>\d{{1,3}}\.)\s+)?\S+(?:\s+\S+){{0,5}}\s+{_DATE}\s*(?P<hash>#|\|?\s*Reply)?\s*$", re.I)

# Subscription/membership blocks: anchored on a price-per-period or a bare call to subscribe.
PRICE_LINE = re.compile(r"^\s*(?:From|Only|Just|Now)?\s*[£$€]\s?\d+(?:\.\d\d)?\s*(?:/|a|an|per|every)\s*"
                        r"(?:month|year|week|annum|issue|quarter)\b[\w\s()*.]{0,30}$", re.I)
SUBSCRIBE_LINE = re.compile(r"^\s*(?:Subscribe(?: now| today| here)?|Sign up(?: now| today)?|Join now|Become a (?:member|subscriber)"
                            r"|Already a (?:member|subscriber)\??|Register(?: now)?|Log ?in|Sign in|Start your free trial)\W*$", re.I)
MEMBERSHIP_HEAD = re.compile(r"^\s*.{0,60}\b(?:membership|subscription|subscriptions|subscribe|newsletter)\s*$", re.I)

MORE_FROM = re.compile(r"^\s*(?:More (?:from|on|about|stories from|news from|like this)|Read more(?: about| from| on)?"
                       r"|Related(?: articles| stories| content| links| topics)?|See also|Also read|Read next|Most read"
                       r"|Most popular|Top stories|You may also like|Recommended)\b[^.!?]*[:.]?\s*$", re.I)
CLICK_HERE = re.compile(r"\bclick (?:here|on (?:the|this) link)\b", re.I)
# Run-together link texts of an advert strip: "Accountancy ServicesAlphabiolabsHousing Law WeekIQ Legal".
ADVERT_JOIN = re.compile(r"[a-z]{3,}[A-Z]")
_CREDIT = r"(?:Photo(?:graph)?|Picture|Pic|Image|Illustration|Credit|Photo credit|Image credit|Main image|Top image)s?"
PHOTO_CREDIT_LINE = re.compile(rf"^\s*\(?{_CREDIT}\s*(?::|by\b|©)\s*\S[^.!?]{{0,60}}\)?\s*$", re.I)
# A credit after a caption sentence: "... to offer support earlier. Picture: Jim Varney"
PHOTO_CREDIT_TAIL = re.compile(rf"(?<=[.!?”\"')])\s+\(?{_CREDIT}\s*(?::|©)\s*\S[^.!?]{{0,60}}\)?\s*$", re.I)
LIST_NUMBER = re.compile(r"^\s*\d{1,2}[.)](?=\s+\S)")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")
_TERMINAL = re.compile(r"[.!?][\"'”’)]*$")


@dataclass
class _Line:
    start: int
    end: int  # without the line break
    text: str
    pieces: list[tuple[int, int, str, str]] = field(default_factory=list)  # absolute start, end, section, kind

    @property
    def words(self) -> int:
        return len(self.text.split())

    def mark(self, section: str, kind: str = "") -> None:
        self.pieces = [(self.start, self.end, section, kind)]

    @property
    def section(self) -> str:
        return self.pieces[0][2] if self.pieces else "body"


def segment(text: str, *, title: str | None = None) -> list[Segment]:
    """Segments covering all of `text` in order. `title` (from metadata) identifies the headline line."""
    lines = _content_lines(text)
    if not lines:
        return [Segment(0, len(text), "body")] if text else []
    _mark_comments(lines)
    _mark_subscriptions(lines)
    _mark_single_lines(lines)
    _mark_head(lines, title)
    _mark_list_numbers(lines)
    return _to_segments(text, lines)


def blank(text: str, segments: list[Segment]) -> str:
    """`text` with every boilerplate character replaced by a space, line breaks kept (same length)."""
    chars = list(text)
    for seg in segments:
        if seg.section == "boilerplate":
            for i in range(seg.start, seg.end):
                if chars[i] not in "\n\r":
                    chars[i] = " "
    return "".join(chars)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every paragraph holding more than spaces, in order; a break belongs to none."""
    bounds, start = [], 0
    for match in PARAGRAPH_BREAK.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def paragraph_of(char: int, paragraphs: list[tuple[int, int]]) -> tuple[int, int]:
    """The paragraph holding `char`, or the last one before it (a break); the first when none starts
    before it; (0, 0) when there is none."""
    index = bisect.bisect_right([start for start, _ in paragraphs], char) - 1
    return paragraphs[max(index, 0)] if paragraphs else (0, 0)


def boilerplate_counts(segments: list[Segment]) -> dict[str, int]:
    """How many boilerplate segments of each kind (for the report)."""
    counts: dict[str, int] = {}
    for seg in segments:
        if seg.section == "boilerplate":
            counts[seg.kind] = counts.get(seg.kind, 0) + 1
    return counts


# ---------------------------------------------------------------------------- rules


def _content_lines(text: str) -> list[_Line]:
    lines = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        if body.strip():
            lines.append(_Line(pos, pos + len(body), body))
        pos += len(raw)
    return lines


def _mark_comments(lines: list[_Line]) -> None:
    for i, line in enumerate(lines):
        if line.words > 40:
            continue
        header = COMMENT_HEADER.match(line.text)
        if COMMENTS_START.match(line.text) or (header and (header.group("num") or header.group("hash"))) \
                or (COMMENTS_HEADING.match(line.text) and 2 * i >= len(lines)):
            for rest in lines[i:]:
                rest.mark("boilerplate", "comments")
            return


def _is_furniture(line: _Line) -> bool:
    """A short line that is not a sentence: menu item, price-list bullet, block heading."""
    return not line.pieces and line.words <= FURNITURE_MAX_WORDS and not _TERMINAL.search(line.text.rstrip())


def _mark_subscriptions(lines: list[_Line]) -> None:
    anchors = [i for i, line in enumerate(lines)
               if not line.pieces and (PRICE_LINE.match(line.text) or SUBSCRIBE_LINE.match(line.text))]
    for i in anchors:
        lines[i].mark("boilerplate", "subscription")
        # Backwards to the block's heading ("CYP Now Digital membership") over its bullet list;
        # a sentence stops it, so the article's last paragraph is never taken.
        j = i - 1
        while j >= 0 and i - j <= SUBSCRIPTION_REACH and (_is_furniture(lines[j]) or lines[j].section == "boilerplate"):
            if lines[j].section != "boilerplate":
                lines[j].mark("boilerplate", "subscription")
            j -= 1
        j = i + 1
        while j < len(lines) and j - i <= SUBSCRIPTION_REACH and _is_furniture(lines[j]):
            lines[j].mark("boilerplate", "subscription")
            j += 1
    # A lone "... membership" / "... newsletter" heading right before a block already found.
    for i, line in enumerate(lines[:-1]):
        if not line.pieces and MEMBERSHIP_HEAD.match(line.text) and line.words <= 8 and lines[i + 1].pieces[:1] \
                and lines[i + 1].pieces[0][3] == "subscription":
            line.mark("boilerplate", "subscription")


def _mark_single_lines(lines: list[_Line]) -> None:
    previous: _Line | None = None
    for line in lines:
        if line.pieces:
            previous = line
            continue
        stripped = line.text.strip()
        if previous is not None and len(stripped) >= 20 and stripped == previous.text.strip():
            # A caption printed twice (image alt text and caption): one mention, not two claims.
            line.mark("boilerplate", "duplicate")
        elif line.words <= 12 and MORE_FROM.match(line.text):
            line.mark("boilerplate", "more_from")
        elif line.words <= 12 and PHOTO_CREDIT_LINE.match(line.text):
            line.mark("boilerplate", "photo_credit")
        elif _is_advert(line.text):
            line.mark("boilerplate", "advert")
        elif CLICK_HERE.search(line.text):
            _mark_click_here(line)
        else:
            tail = PHOTO_CREDIT_TAIL.search(line.text)
            if tail and len(tail.group().split()) <= 8:
                cut = line.start + tail.start()
                line.pieces = [(line.start, cut, "body", ""), (cut, line.end, "boilerplate", "photo_credit")]
        previous = line


def _is_advert(text: str) -> bool:
    # Two or more words run together without a space, no sentence punctuation, mostly capitalised
    # words: a strip of sponsor links. Single joins are brand names (TimeWarner, PlayStation).
    if len(ADVERT_JOIN.findall(text)) < 2 or re.search(r"[.,;:!?\"“”]", text):
        return False
    words = text.split()
    return sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _mark_click_here(line: _Line) -> None:
    # Only the sentences that say "click here" (a link whose target is gone); the rest of a long
    # paragraph stays body.
    pieces: list[tuple[int, int, str, str]] = []
    pos = 0
    for sentence_end in [m.end() for m in _SENTENCE_END.finditer(line.text)] + [len(line.text)]:
        if sentence_end <= pos:
            continue
        section, kind = ("boilerplate", "click_here") if CLICK_HERE.search(line.text[pos:sentence_end]) else ("body", "")
        if pieces and pieces[-1][2:] == (section, kind):
            pieces[-1] = (pieces[-1][0], line.start + sentence_end, section, kind)
        else:
            pieces.append((line.start + pos, line.start + sentence_end, section, kind))
        pos = sentence_end
    line.pieces = pieces


def _mark_head(lines: list[_Line], title: str | None) -> None:
    free = [line for line in lines if not line.pieces]
    for line in free:
        if REPUBLISHED.match(line.text) and line.words <= 40:
            line.mark("byline", "republished")
    free = [line for line in free if not line.pieces]
    if len(free) < 2:
        return  # a one-paragraph text (XSum-style) is all body
    first = free[0]
    if title:
        # The metadata title decides: CSV/JSONL texts usually start with the first paragraph.
        line_key, title_key = _normalise(first.text), _normalise(title)
        headline = bool(line_key) and (line_key.startswith(title_key) or title_key.startswith(line_key))
    else:
        # Headlines carry no full stop; a first paragraph that is a question is taken as body.
        headline = first.words <= HEADLINE_MAX_WORDS and not _TERMINAL.search(first.text.rstrip()) \
            and not _is_byline(first.text)
    rest = free[1:] if headline else free
    if headline:
        first.mark("headline")
    # Byline lines and one standfirst in the head zone, before the first body paragraph.
    standfirst_done = not headline
    for k, line in enumerate(rest[:HEAD_ZONE_LINES]):
        following = rest[k + 1] if k + 1 < len(rest) else None
        if _is_byline(line.text) or (NAME_LINE.match(line.text) and following is not None
                                     and DATE_LINE.match(following.text)):
            line.mark("byline")
        elif not standfirst_done and STANDFIRST_MIN_WORDS <= line.words <= STANDFIRST_MAX_WORDS and following is not None \
                and not _TERMINAL.search(line.text.rstrip()):
            line.mark("standfirst")
            standfirst_done = True
        else:
            break


def _is_byline(text: str) -> bool:
    return len(text.split()) <= 20 and bool(DATE_LINE.match(text) or BY_LINE.match(text))


def _mark_list_numbers(lines: list[_Line]) -> None:
    for line in lines:
        if line.pieces and line.section != "body":
            continue
        marker = LIST_NUMBER.match(line.text)
        if marker:
            cut = line.start + marker.end()
            rest = line.pieces[1:] if line.pieces else []
            body_end = line.pieces[0][1] if line.pieces else line.end
            line.pieces = [(line.start, cut, "boilerplate", "list_numbering"), (cut, body_end, "body", ""), *rest]


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w£$€%.]+", " ", text).split())


def _to_segments(text: str, lines: list[_Line]) -> list[Segment]:
    # Each line's last piece runs on to the next content line, so the segments tile the text;
    # blank lines before the first content line belong to the first segment.
    segments: list[Segment] = []
    for n, line in enumerate(lines):
        pieces = line.pieces or [(line.start, line.end, "body", "")]
        next_start = lines[n + 1].start if n + 1 < len(lines) else len(text)
        for k, (start, end, section, kind) in enumerate(pieces):
            if n == 0 and k == 0:
                start = 0
            if k == len(pieces) - 1:
                end = next_start
            if segments and section == "boilerplate" and segments[-1].section == "boilerplate" \
                    and segments[-1].kind == kind and segments[-1].end == start:
                segments[-1] = Segment(segments[-1].start, end, section, kind)
            else:
                segments.append(Segment(start, end, section, kind))
    return segments
