"""Tests for pipeline/structure.py: headline/standfirst/byline/body and each kind of boilerplate, with negatives."""
from pathlib import Path

import pytest

from pipeline.io import structure
from pipeline.io.structure import blank, boilerplate_counts, segment

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def labelled(text: str, title: str | None = None) -> list[tuple[str, str, str]]:
    """(section, kind, stripped text) for every segment that is not plain body."""
    return [(s.section, s.kind, text[s.start:s.end].strip()) for s in segment(text, title=title)
            if (s.section, s.kind) != ("body", "")]


def section_of(text: str, fragment: str, title: str | None = None) -> tuple[str, str]:
    at = text.index(fragment)
    [seg] = [s for s in segment(text, title=title) if s.start <= at < s.end]
    return seg.section, seg.kind


def seed(prefix: str) -> str:
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


BODY = "The council said the scheme would cost £4m over two years, and 300 homes would benefit.\n\n"


@pytest.mark.parametrize("text", [
    "",
    "One line only.",
    "Headline here\n\n" + BODY + "Another paragraph.\n",
    "\n\n  Leading blanks\n\nOne Response to x\n\n  1. Ann May 1, 2020 at 9:31 am #\n\nText\n",
    "Caption text for a photo. Picture: Someone\nLast line without newline",
])
def test_segments_tile_the_text(text):
    segs = segment(text)
    if not text:
        assert segs == []
        return
    assert segs[0].start == 0 and segs[-1].end == len(text)
    assert all(a.end == b.start and a.start < a.end for a, b in zip(segs, segs[1:]))


# ---------------------------------------------------------------------------- head of the article


@pytest.mark.parametrize("text,title,expected", [
    ("Council to spend £4m on roads\n\n" + BODY, None, [("headline", "", "Council to spend £4m on roads")]),
    ("Council to spend £4m on roads\n\nA shorter standfirst about the £4m plan for roads\n\n" + BODY, None,
     [("headline", "", "Council to spend £4m on roads"), ("standfirst", "", "A shorter standfirst about the £4m plan for roads")]),
    ("Council to spend £4m on roads\n\nJane Example\nMonday, March 10, 2014\n\n" + BODY, None,
     [("headline", "", "Council to spend £4m on roads"), ("byline", "", "Jane Example"), ("byline", "", "Monday, March 10, 2014")]),
    ("Council to spend £4m\n\nSeptember 11, 2019\xa0\xa0 By Jo Bloggs, Researcher, NLGN\n\n" + BODY, None,
     [("headline", "", "Council to spend £4m"), ("byline", "", "September 11, 2019\xa0\xa0 By Jo Bloggs, Researcher, NLGN")]),
    ("Council to spend £4m\n\nBy Jo Bloggs\n\n" + BODY, None, [("headline", "", "Council to spend £4m"), ("byline", "", "By Jo Bloggs")]),
    # the metadata title decides when given
    ("Council to spend £4m on roads\n\n" + BODY, "Council to spend £4m on roads", [("headline", "", "Council to spend £4m on roads")]),
    ("Japanese brewers are making money from beer-flavoured drinks\n\n" + BODY, "Brewers' profits rise", []),
    # negatives: a first paragraph that is a sentence, a question, or the only paragraph
    (BODY + "Another sentence of the body, with 3 figures.\n", None, []),
    ("So what is the gap between the parties?\n\n" + BODY, None, []),
    ("Council to spend £4m on roads", None, []),
    ("Arsenal v Chelsea\n\nTuesday, 1 March\n\n2000 GMT\n\n" + BODY, None,
     [("headline", "", "Arsenal v Chelsea"), ("byline", "", "Tuesday, 1 March")]),  # "2000 GMT": too short for a standfirst
])
def test_head(text, title, expected):
    assert labelled(text, title) == expected


def test_republished_note_is_byline_not_body():
    text = "Title\n\n" + BODY + "This article first appeared in The Example Chronicle on 10th September 2019.\n"
    assert section_of(text, "This article first") == ("byline", "republished")


# ---------------------------------------------------------------------------- boilerplate kinds


@pytest.mark.parametrize("text,fragment,expected", [
    # reader comments run to the end
    (BODY + "One Response to ‘Council to spend £4m’\n\n  1. Ann Reader May 1, 2020 at 9:31 am #\n\n    I paid £200 more.\n",
     "I paid £200", ("boilerplate", "comments")),
    (BODY + "12 Responses to Council budget\n\nI paid £200 more.\n", "I paid £200", ("boilerplate", "comments")),
    (BODY + "  3. bob_99 September 21, 2017 at 9:31 am #\n\n    I paid £200 more.\n", "I paid £200", ("boilerplate", "comments")),
    (BODY + "A second paragraph, about 12 schools.\n\n" + "Leave a Reply\n\nI paid £200 more.\n", "I paid £200", ("boilerplate", "comments")),
    (BODY + "A second paragraph, about 12 schools.\n\n" + "Comments (3)\n\nI paid £200 more.\n", "I paid £200", ("boilerplate", "comments")),
    # subscription blocks, from their heading to the end of the price list
    (BODY + "Example Now Digital membership\n\n  • Latest issues\n  • Archive of 60,000 articles\n\nFrom £15 / month\n\nSubscribe\n",
     "60,000", ("boilerplate", "subscription")),
    (BODY + "Only £1.99 a week\n", "£1.99", ("boilerplate", "subscription")),
    (BODY + "Sign up now\n", "Sign up", ("boilerplate", "subscription")),
    # single lines
    (BODY + "More from Example Care\n\n" + BODY, "More from", ("boilerplate", "more_from")),
    (BODY + "Read more: Council cuts 200 jobs\n", "Read more", ("boilerplate", "more_from")),
    (BODY + "For the report, click here.\n", "For the report", ("boilerplate", "click_here")),
    ("Acme Widgets ServicesBrightside CareHolmes Legal Training\n\n" + BODY, "Acme", ("boilerplate", "advert")),
    (BODY + "Photo: tang90246/Fotolia\n\n" + BODY, "Photo:", ("boilerplate", "photo_credit")),
    (BODY + "Picture: Jim Example\n\n" + BODY, "Picture:", ("boilerplate", "photo_credit")),
    (BODY + "Councillors in 6 schools. Picture: Jim Example\n", "Picture:", ("boilerplate", "photo_credit")),
    (BODY + "Councillors in 6 schools. Picture: Jim Example\n", "Councillors in 6", ("body", "")),
    (BODY + "  4. The council should spend £2m.\n", "4.", ("boilerplate", "list_numbering")),
    (BODY + "  4. The council should spend £2m.\n", "The council should spend £2m", ("body", "")),
])
def test_boilerplate(text, fragment, expected):
    assert section_of(text, fragment) == expected


@pytest.mark.parametrize("text,fragment", [
    # body lines that look a little like boilerplate
    (BODY + "The meeting on September 21, 2017 at 9:30 am agreed a £2m cut.\n", "£2m cut"),  # date + time, not a comment header
    (BODY + "More than 500 people responded to the consultation.\n", "More than 500"),
    (BODY + "Union membership fell by 3% last year, the survey found.\n", "Union membership"),
    (BODY + "Subscribers to the scheme pay £5 a month, the council said.\n", "£5 a month"),
    (BODY + "TimeWarner said PlayStation sales rose 8% to $1.2bn.\n", "PlayStation"),  # brand names with one join each
    (BODY + "The Photo Society said 40% of members were retired.\n", "40%"),
    (BODY + "1,137 children are now in care, up from 1,015.\n", "1,137"),  # a number, not list numbering
    (BODY + "10.5% of homes were empty.\n", "10.5%"),
    ("Headline\n\nComments\n\n" + BODY + BODY.replace("£4m", "£5m") + "Last.\n", "£5m"),  # a subheading early on
    # only the sentence that says "click here" goes
    ("The council spent £3m, and residents can click here to read the plan. "
     "The rest of this paragraph is news about the 12 libraries it will keep open next year.", "12 libraries"),
])
def test_body_lines_are_kept(text, fragment):
    assert section_of(text, fragment) == ("body", "")


def test_caption_repeated_on_next_line_is_a_duplicate():
    caption = "Norfolk County Council has placed social workers in six schools. Picture: Jim Example"
    text = BODY + caption + "\n" + caption + "\n\n" + BODY
    first, second = text.index(caption), text.index(caption, text.index(caption) + 1)
    segs = segment(text)
    [dup] = [s for s in segs if s.kind == "duplicate"]
    assert (dup.start, dup.section) == (second, "boilerplate")
    assert section_of(text, "Norfolk County") == ("body", "")
    assert not [s for s in segs if s.kind == "duplicate" and s.start <= first < s.end]


def test_repeated_paragraph_is_a_duplicate_but_short_lines_are_not():
    assert labelled(BODY + BODY) == [("boilerplate", "duplicate", BODY.strip())]


def test_repeated_short_lines_are_not_duplicates():
    text = BODY + "Yes.\nYes.\n"
    assert boilerplate_counts(segment(text)) == {}


# ---------------------------------------------------------------------------- blank


def test_blank_keeps_length_and_line_breaks():
    text = BODY + "Photo: Someone/Agency\r\n\r\nMore from Example\n\n" + BODY
    blanked = blank(text, segment(text))
    assert len(blanked) == len(text)
    assert [i for i, c in enumerate(text) if c in "\r\n"] == [i for i, c in enumerate(blanked) if c in "\r\n"]
    assert "Photo" not in blanked and "More from" not in blanked
    assert blanked.count("£4m") == 2


# ---------------------------------------------------------------------------- the seeds


@pytest.mark.parametrize("prefix,fragment,expected", [
    ("000", "Hilary Searing", ("boilerplate", "comments")),
    ("000", "Meaningless platitudes", ("boilerplate", "comments")),
    ("000", "One Response to", ("boilerplate", "comments")),
    ("000", "More from Community Care", ("boilerplate", "more_from")),
    ("000", "Photo: Michail Petrov/Fotolia", ("boilerplate", "photo_credit")),
    ("000", "‘Financially unsustainable’ children’s services asks", ("headline", "")),
    ("000", "An 'inadequate'-rated", ("standfirst", "")),
    ("000", "*Correction:", ("body", "")),
    ("001", "CYP Now Digital membership", ("boilerplate", "subscription")),
    ("001", "Archive of more than 60,000 articles", ("boilerplate", "subscription")),
    ("001", "From £15 / month", ("boilerplate", "subscription")),
    ("001", "CYP Now Magazine", ("boilerplate", "subscription")),
    ("001", "In December 2013 the government", ("body", "")),
    ("001", "Neil Puffett", ("byline", "")),
    ("001", "Monday, March 10, 2014", ("byline", "")),
    ("001", "Picture: Jim Varney", ("boilerplate", "photo_credit")),
    ("001", "Provide advice and guidance", ("body", "")),
    ("002", "September 11, 2019", ("byline", "")),
    ("002", "This article first appeared", ("byline", "republished")),
    ("002", "The number of children in care has never been so high", ("body", "")),
    ("003", "Molly Saul March 3, 2018", ("boilerplate", "comments")),
    ("003", "Its looked-after children population", ("body", "")),
    ("004", "Berkeley Lifford Hall", ("boilerplate", "advert")),
    ("004", "Failure to invest", ("headline", "")),
    ("004", "For the report, click here", ("boilerplate", "click_here")),
    ("004", "The Department for Education and", ("body", "")),
    ("004", "\"The LGA's most recent analysis", ("body", "")),
])
def test_seed_sections(prefix, fragment, expected):
    assert section_of(seed(prefix), fragment) == expected


def test_seed_001_duplicated_caption_and_004_list_numbers():
    text = seed("001")
    caption = "Norfolk County Council has placed social workers in six schools to offer support earlier."
    second = text.index(caption, text.index(caption) + 1)
    assert section_of(text[:], caption) == ("body", "")
    [dup] = [s for s in segment(text) if s.kind == "duplicate"]
    assert dup.start == second
    counts = boilerplate_counts(segment(seed("004")))
    assert counts["list_numbering"] == 12 and counts["advert"] == 1 and counts["click_here"] == 1
    blanked = blank(seed("004"), segment(seed("004")))
    assert "  1. The Department" not in blanked and "     The Department" in blanked


# ---------------------------------------------------------------------------- corpus


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus absent")
def test_corpus_drops_almost_nothing():
    # BBC and XSum texts are clean article bodies: the rules must leave them (almost) untouched.
    from pipeline.io.inputs import iter_inputs

    counts: dict[str, int] = {}
    dropped_chars = total_chars = 0
    for article in iter_inputs([CORPUS / "bbc_news.csv", CORPUS / "xsum_random1000.jsonl"]):
        segs = segment(article.text, title=article.title)
        for kind, n in boilerplate_counts(segs).items():
            counts[kind] = counts.get(kind, 0) + n
        dropped_chars += sum(s.end - s.start for s in segs if s.section == "boilerplate")
        total_chars += len(article.text)
    assert set(counts) <= {"click_here"} and counts.get("click_here", 0) <= 10
    assert dropped_chars < total_chars / 10_000


@pytest.mark.parametrize("text,expected", [
    ("One.\n\nTwo.", ["One.", "Two."]),
    ("One.\nstill one.\n\nTwo.", ["One.\nstill one.", "Two."]),            # a single line break is no paragraph end
    ("One.\n \t\u00a0\n  Two.", ["One.", "  Two."]),                       # spaces of any kind on the blank line
    ("One.\n\x0c\nTwo.", ["One.", "Two."]),                                 # a form feed too
    ("\n\n\nOne.\n\n\n\n\nTwo.\n\n", ["\nOne.", "\nTwo."]),                 # runs of breaks: no empty paragraphs
    ("   \n\n  ", []),
])
def test_paragraphs(text, expected):
    assert [text[s:e] for s, e in structure.paragraphs(text)] == expected


@pytest.mark.parametrize("char,paragraph", [(0, (0, 4)), (3, (0, 4)), (5, (0, 4)), (6, (6, 10)), (9, (6, 10))])
def test_paragraph_of(char, paragraph):
    text = "One.\n\nTwo."
    assert structure.paragraph_of(char, structure.paragraphs(text)) == paragraph


def test_paragraph_of_no_paragraph():
    assert structure.paragraph_of(3, []) == (0, 0)


@pytest.mark.parametrize("title,expected", [
    (None, None),
    ("", ""),
    ("Council tax to rise by 4.99%", "Council tax to rise by 4.99%"),
    ("x" * 300, "x" * 300),  # at the limit: whole
    ("word " * 100, ("word " * 60).rstrip() + "…"),  # cut at a space, with an ellipsis
    ("ab " * 200, ("ab " * 100).rstrip() + "…"),
    ("7%" * 1000, "7%" * 150 + "…"),  # no space to cut at: cut at the limit
])
def test_title_cell(title, expected):
    assert structure.title_cell(title) == expected
    assert title is None or len(structure.title_cell(title)) <= structure.TITLE_MAX_CHARS + 1


@pytest.mark.parametrize("text,expected", [
    ("\n\n  Headline here \nBody.", "Headline here"),
    ("   \n", None),
    ("", None),
])
def test_first_line(text, expected):
    assert structure.first_line(text) == expected
