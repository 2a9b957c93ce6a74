"""council_linker on hand-built docs: name forms, dates, in-article references and the linking rules."""
from __future__ import annotations

from datetime import date

import pytest
from spacy.tokens import Doc

from pipeline import extensions  # noqa: F401
from pipeline.resources import MODELS_DIR
from pipeline.components.council_linker import bench_linker, default_linker
from pipeline.records import Amount, Publication, Segment
from pipeline.councils.register import load_register


@pytest.fixture(scope="module")
def register():
    return load_register()


@pytest.fixture(scope="module")
def linker(nlp, register):
    return default_linker(nlp)


def run(nlp, linker, text: str, numbers: list[str], *, day: date | None = None, headline: bool = False,
        change: bool = False) -> Doc:
    """Build a doc, mark each string in `numbers` (first occurrence after the previous one) as a number span."""
    doc = nlp(text)
    if day is not None:
        doc._.publication = Publication(date=day, basis="metadata")
    if headline:
        first = text.index("\n\n")
        doc._.segments = [Segment(0, first, "headline"), Segment(first, len(text), "body")]
    spans, position = [], 0
    for number in numbers:
        start = text.index(number, position)
        position = start + len(number)
        span = doc.char_span(start, position, alignment_mode="expand")
        span._.amount = Amount(value=1.0, kind="money", unit="GBP")
        if change:
            span._.change_id = "c1"
        spans.append(span)
    doc.spans["numbers"] = spans
    return linker(doc)


def link_of(doc: Doc, index: int = 0):
    return doc.spans["numbers"][index]._.council_link


def code_of(doc: Doc, index: int = 0) -> str | None:
    council = link_of(doc, index).council
    return council.code if council else None


# ----- name forms, in the claim's sentence -----
@pytest.mark.parametrize("sentence,code", [
    ("Norfolk County Council will spend £5m on roads.", "E10000020"),
    ("The London Borough of Lambeth will spend £5m on roads.", "E09000022"),
    ("City of York Council will spend £5m on roads.", "E06000014"),
    ("The Borough Council of King's Lynn and West Norfolk will spend £5m on roads.", "E07000146"),
    ("The Borough Council of King’s Lynn and West Norfolk will spend £5m on roads.", "E07000146"),
    ("Dumfries and Galloway Council will spend £5m on roads.", "S12000006"),
    ("Norfolk council will spend £5m on roads.", "E10000020"),
    ("Lambeth Council will spend £5m on roads.", "E09000022"),
    ("Tower Hamlets Council will spend £5m on roads.", "E09000030"),
    ("Hull City Council will spend £5m on roads.", "E06000010"),
    ("Glasgow City Council will spend £5m on roads.", "S12000049"),
    ("York Council will spend £5m on roads.", "E06000014"),
    ("Leicestershire County Council's budget includes £5m for roads.", "E10000018"),
    ("Gloucestershire council will spend £5m on roads.", "E10000013"),
    ("The council said that in Suffolk £5m would go on roads.", "E10000029"),
    ("Gloucestershire’s medium-term financial strategy puts £5m into roads, councillors said.", "E10000013"),
    ("Norfolk councillors approved £5m for roads.", "E10000020"),
    ("Oxford will spend £5m on roads, the council said.", "E07000178"),
    ("Oxfordshire will spend £5m on roads, the council said.", "E10000025"),
    ("Norfolk will spend £5m on roads, the council said.", "E10000020"),  # the upper tier
    ("Stockton-on-Tees Borough Council will spend £5m on roads.", "E06000004"),
    ("Brighton & Hove City Council will spend £5m on roads.", "E06000043"),
])
def test_name_forms(nlp, linker, sentence, code):
    doc = run(nlp, linker, sentence, ["£5m"])
    link = link_of(doc)
    assert (code_of(doc), link.scope, link.basis) == (code, "council", "sentence")


# ----- things that are not principal councils -----
@pytest.mark.parametrize("sentence", [
    "The UN Security Council approved £5m in aid.",
    "Arts Council England gave £5m to theatres, the council said.",
    "The Medical Research Council spent £5m on trials.",
    "The Higher Education Funding Council cut £5m from budgets.",
    "Oxford Town Council will spend £5m on a park, the council said.",
    "Leeds United paid £5m for the striker, the council said.",
    "Abraham Lincoln never saw £5m, the council said.",
    "Prices in New York rose by £5m, the council said.",
    "Wigan beat Leeds and earned £5m.",  # no council in the article: places are just places
    "reading the report, the minister found £5m.",
    "MPs in Westminster voted for £5m, the council said.",  # Parliament, not the borough
    "Mr Brown earmarked £5m to help keep down council tax rises.",  # not Down District Council
])
def test_not_councils(nlp, linker, sentence):
    doc = run(nlp, linker, sentence, ["£5m"])
    assert code_of(doc) is None


# ----- "the council" and friends resolve to the article's council -----
@pytest.mark.parametrize("reference", ["the council", "the county council", "the authority", "the East Anglian council",
                                       "the local authority"])
def test_in_article_references(nlp, linker, reference):
    text = f"Norfolk County Council met on Monday.\n\nA report said {reference} would spend £5m on roads."
    doc = run(nlp, linker, text, ["£5m"])
    link = link_of(doc)
    assert (code_of(doc), link.basis) == ("E10000020", "sentence")
    assert any(s.label_ == "COUNCIL_REFERENCE" for s in doc.spans["councils"])


@pytest.mark.parametrize("text", [
    "Norfolk County Council met.\n\nThe council tax will rise by £5m.",   # 'council tax' is not the council
    "Norfolk County Council met.\n\nThe Arts Council gave £5m.",
])
def test_not_references(nlp, linker, text):
    doc = run(nlp, linker, text, ["£5m"])
    assert link_of(doc).basis != "sentence" or code_of(doc) is None


# ----- dated names -----
@pytest.mark.parametrize("sentence,day,code,flags", [
    ("North Yorkshire County Council will spend £5m.", date(2019, 5, 1), "E10000023", ()),
    ("North Yorkshire Council will spend £5m.", date(2024, 5, 1), "E06000065", ()),
    ("North Yorkshire council will spend £5m.", date(2019, 5, 1), "E10000023", ()),
    ("North Yorkshire council will spend £5m.", date(2024, 5, 1), "E06000065", ()),
    ("North Yorkshire council will spend £5m.", None, None, ("ambiguous_council",)),  # 2019 or 2024?
    ("Northamptonshire County Council will spend £5m.", date(2018, 5, 1), "E10000021", ()),
    ("Northamptonshire will spend £5m, the council said.", date(2018, 5, 1), "E10000021", ()),
    ("Northamptonshire will spend £5m, the council said.", date(2022, 5, 1), None, ("ambiguous_council",)),
    ("Northampton will spend £5m, the council said.", date(2022, 5, 1), "E06000062", ()),
    ("Belfast City Council will spend £5m.", date(2010, 5, 1), "95Z", ()),
    ("Belfast City Council will spend £5m.", date(2016, 5, 1), "N09000003", ()),
    ("Dorset County Council will spend £5m.", date(2018, 5, 1), "E10000009", ()),
    ("Macclesfield Borough Council will spend £5m.", date(2008, 5, 1), "13UG", ()),  # abolished 2009
    ("Cheshire East Council will spend £5m.", date(2010, 5, 1), "E06000049", ()),
    ("Dorset Council will spend £5m.", date(2020, 5, 1), "E06000059", ()),
    ("North Yorkshire County Council will spend £5m.", None, "E10000023", ()),  # never the 2023 unitary
    ("North Yorkshire County Council will spend £5m.", date(2024, 5, 1), "E10000023", ("council_abolished",)),
])
def test_dated_names(nlp, linker, sentence, day, code, flags):
    doc = run(nlp, linker, sentence, ["£5m"], day=day)
    link = link_of(doc)
    assert (code_of(doc), link.flags) == (code, flags)
    if code is None and day is not None:
        assert {c.code for c in link.candidates} == {"E06000061", "E06000062"}


def test_plural_councils_are_ambiguous(nlp, linker):
    doc = run(nlp, linker, "Adur and Worthing councils will save £5m.", ["£5m"])
    link = link_of(doc)
    assert "ambiguous_council" in link.flags
    assert {c.code for c in link.candidates} == {"E07000223", "E07000229"}


# ----- sentence, then paragraph, then article -----
def test_sentence_beats_paragraph_and_article(nlp, linker):
    text = ("Norfolk County Council leads the region.\n\n"
            "Suffolk County Council will spend £5m on roads. The figure is £2m higher.\n\n"
            "Overall, £9m will be spent.")
    doc = run(nlp, linker, text, ["£5m", "£2m", "£9m"])
    assert [(code_of(doc, i), link_of(doc, i).basis) for i in range(3)] == [
        ("E10000029", "sentence"), ("E10000029", "paragraph"), ("E10000020", "article")]
    assert doc._.main_council.code == "E10000020"


def test_main_council_from_headline_place(nlp, linker):
    text = "Norfolk aims to cut care numbers\n\nThe plan will cost £5m over three years.\n\nThe council decides on Monday."
    doc = run(nlp, linker, text, ["£5m"], headline=True)
    assert (code_of(doc), link_of(doc).basis) == ("E10000020", "article")


def test_a_headline_place_without_any_council_talk_is_just_a_place(nlp, linker):
    text = "Plymouth hosts the games\n\nThere are 16 newcomers in the team, councillors' children among them."
    doc = run(nlp, linker, text, ["16"], headline=True)
    assert doc._.main_council is None and code_of(doc) is None


def test_a_place_deep_in_the_body_is_not_the_main_council(nlp, linker):
    text = ("Children's services need more money.\n\nFunding rose by £5m last year.\n\nMore words.\n\n"
            "Several councils, including Wigan, are leading the way.")
    doc = run(nlp, linker, text, ["£5m"])
    assert doc._.main_council is None
    assert link_of(doc).flags == ("no_council",)


@pytest.mark.parametrize("sentence", [
    "In 2017-18, nine out of 10 councils were overspending.",
    "Nationally, spending rose by £5m.",
    "The LGA's analysis suggests that councils will be facing a £5m funding gap.",
    "Deaths fell by £5m in England since 1985.",
    "The APPG found that £5m was missing.",
    "The Welsh Assembly Government gave £5m to all councils.",
])
def test_national_figures(nlp, linker, sentence):
    text = f"Norfolk County Council met.\n\n{sentence}"
    number = "nine out of 10" if "nine" in sentence else "£5m"
    doc = run(nlp, linker, text, [number])
    link = link_of(doc)
    assert (link.scope, link.council) == ("national", None)


def test_council_beats_a_national_cue_further_away(nlp, linker):
    doc = run(nlp, linker, "Nationally costs rose, but Norfolk County Council spent £5m.", ["£5m"])
    assert (link_of(doc).scope, code_of(doc)) == ("council", "E10000020")


@pytest.mark.parametrize("sentence,scope", [
    ("Ofsted spent £5m on inspections.", "other"),
    ("Highways England will spend £5m on the A11.", "other"),
    ("Creative Scotland gave £5m to artists.", "other"),
    ("The council and Ofsted agreed £5m for the service.", "council"),  # the sentence makes it the council's
])
def test_other_bodies(nlp, linker, sentence, scope):
    doc = run(nlp, linker, f"Norfolk County Council met.\n\n{sentence}", ["£5m"])
    assert link_of(doc).scope == scope


def test_both_ends_of_a_change_share_a_link(nlp, linker):
    doc = run(nlp, linker, "Norfolk County Council met.\n\nSpending rose from £5m in Suffolk to £7m.", ["£5m", "£7m"],
              change=True)
    assert code_of(doc, 0) == code_of(doc, 1) == "E10000029"


def test_every_number_gets_a_link(nlp, linker):
    doc = run(nlp, linker, "Nothing about councils here: £5m and £6m.", ["£5m", "£6m"])
    assert all(span._.council_link is not None for span in doc.spans["numbers"])
    assert link_of(doc).scope in ("national", "unknown")


def test_doc_without_numbers(nlp, linker):
    doc = nlp("Norfolk County Council met on Monday.")
    linker(doc)
    assert doc._.main_council.code == "E10000020"
    assert [s.text for s in doc.spans["councils"]] == ["Norfolk County Council"]


# ----- the whole register -----
def _lifetime_day(council) -> date:
    if council.start and council.end:
        return council.start + (council.end - council.start) / 2
    if council.start:
        return council.start.replace(year=council.start.year + 1)
    if council.end:
        return council.end.replace(year=council.end.year - 1)
    return date(2024, 6, 1)


REGISTER = load_register()


@pytest.mark.parametrize("code", sorted(REGISTER.councils))
def test_every_council_by_name_and_short_name(nlp, linker, code):
    council = REGISTER.get(code)
    day = _lifetime_day(council)
    for text in (f"{council.name} will spend £5m on roads.", f"{council.short_name} council will spend £5m on roads."):
        doc = run(nlp, linker, text, ["£5m"], day=day)
        assert code_of(doc) == code, text


def test_bench_linker():
    result = bench_linker(["Norfolk County Council will spend £5m.\n\nThe council agreed."] * 20)
    assert result["docs"] == 20 and result["mentions"] >= 40
