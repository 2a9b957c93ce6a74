"""council_linker on hand-built docs: name forms, dates, in-article references and the linking rules."""
from __future__ import annotations

from datetime import date

import pytest
from spacy.tokens import Doc

from pipeline import extensions  # noqa: F401
from pipeline.components.council_linker import bench_linker, default_linker
from pipeline.records import Amount, Article, Publication, Segment
from pipeline.councils.register import load_register


@pytest.fixture(scope="module")
def register():
    return load_register()


@pytest.fixture(scope="module")
def linker(nlp, register):
    return default_linker(nlp)


def run(nlp, linker, text: str, numbers: list[str], *, day: date | None = None, headline: bool = False,
        change: bool = False, ents: tuple[tuple[str, str], ...] = (), title: str | None = None,
        kind: str = "money") -> Doc:
    """Build a doc, mark each string in `numbers` (first occurrence after the previous one) as a number span;
    `ents` are (text, label) entities as the trained `ner` would find them (the blank pipeline has none)."""
    doc = nlp(text)
    if ents:
        doc.ents = [doc.char_span(text.index(t), text.index(t) + len(t), label=label) for t, label in ents]
    if title is not None:
        doc._.article = Article(doc_id="t", source_path="", original_text=text, text=text, title=title)
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
        span._.amount = Amount(value=1.0, kind=kind, unit="GBP" if kind == "money" else None)
        if change:
            span._.change_id = "c1"
        spans.append(span)
    doc.spans["numbers"] = spans
    return linker(doc)


def first_number(sentence: str) -> str:
    """The first word with a digit ("£25", "21,000", "800m"), without trailing punctuation."""
    return next(w for w in sentence.split() if any(c.isdigit() for c in w)).rstrip(".,")


def kinds(doc: Doc) -> dict[str, str]:
    return {span.text: span._.mention_kind for span in doc.spans["councils"]}


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


# A doc that names no council, place, national or other body skips the per-figure rules
# (set_annotations); each figure must still get what those rules would give it (link).
@pytest.mark.parametrize("text,numbers", [
    ("The striker scored 3 goals in 90 minutes.", ["3", "90"]),
    ("Shares rose 4% to £2.10 after the results.", ["4%", "£2.10"]),
    ("Ticket sales reached 12,000.\n\nThe band added 2 more dates.", ["12,000", "2"]),
])
def test_a_doc_naming_no_body_links_as_the_rules_would(nlp, linker, text, numbers):
    doc = run(nlp, linker, text, numbers, kind="count")
    context = linker.match(doc)
    assert not context.mentions and not context.cues
    for span in doc.spans["numbers"]:
        assert span._.council_link == linker.link(doc, span, context)
        assert span._.council_link.flags == ("no_council",)


@pytest.mark.parametrize("text,numbers,scope", [
    ("The government will spend £5m and £6m.", ["£5m", "£6m"], "national"),
    ("Leeds City Council will spend £5m; it has £6m left.", ["£5m", "£6m"], "council"),
])
def test_figures_of_one_sentence_link_alike(nlp, linker, text, numbers, scope):
    # the sentence's mentions and cues are read once and shared by its figures
    doc = run(nlp, linker, text, numbers)
    assert [span._.council_link.scope for span in doc.spans["numbers"]] == [scope, scope]


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


# ----- a place name is not a council: each match is classified before it is used -----
# Every article below speaks of councils somewhere, so a bare place could otherwise link.
TALK = "\n\nThe district council meets on Tuesday."


@pytest.mark.parametrize("sentence,place,kind", [
    # a place inside a name or a title
    ("The Bishop of Norwich blessed 12 new bells.", "Norwich", "title"),
    ("The MP for Reading asked about 40 closures.", "Reading", "title"),
    ("The University of Leeds hired 300 lecturers.", "Leeds", "title"),
    ("Plymouth Business Council counted 80 members.", "Plymouth", "other_body"),
    ("The Oxford Youth Council elected 14 members.", "Oxford", "other_body"),
    ("Bristol Airport handled 800 flights.", "Bristol", "venue_event"),
    ("The Swindon Advertiser sold 9,000 copies.", "Swindon", "name_part"),
    # someone's home town
    ("A Derby woman said she paid £25 a month.", "Derby", "home"),
    ("Tom, of Sheffield, said he lost £200.", "Sheffield", "home"),
    ("Jane, from Swindon, spent £40 on tickets.", "Swindon", "home"),
    ("The Wigan boxer weighed in at 70 kilos.", "Wigan", "home"),
    ("Leeds boss Sam Jones spent £5m on a striker.", "Leeds", "home"),
    # a parliamentary seat or an election count
    ("She won the Stockport seat with 21,000 votes.", "Stockport", "constituency"),
    ("Turnout was 61% in Bolton West.", "Bolton", "constituency"),
    ("The Dudley MP said 40 jobs would go.", "Dudley", "constituency"),
    ("Labour's majority in Lincoln fell to 900 votes.", "Lincoln", "constituency"),
    # a venue or an event
    ("The Green Party conference in Liverpool drew 900 members.", "Liverpool", "venue_event"),
    ("The rowing championships in Nottingham drew 5,000 fans.", "Nottingham", "venue_event"),
    ("She won the 800m final in Birmingham.", "Birmingham", "venue_event"),
    # a smaller place inside the area
    ("A Kent village raised £3,000 for the church.", "Kent", "other_place"),
    # the council's area, plainly
    ("Unemployment in Sunderland rose to 7%.", "Sunderland", "place"),
])
def test_mention_kinds(nlp, linker, sentence, place, kind):
    doc = run(nlp, linker, sentence + TALK, [first_number(sentence)])
    assert kinds(doc)[place] == kind
    if kind == "place":
        assert (link_of(doc).scope, code_of(doc)) == ("area", "E08000024")
    else:
        assert code_of(doc) is None and link_of(doc).scope != "area"


@pytest.mark.parametrize("sentence,ents", [
    ("The Hull Daily Mail sold 20,000 copies.", (("Hull Daily Mail", "ORG"),)),
    ("Fans watched Gateshead Stadium host 4,000 runners.", (("Gateshead Stadium", "FAC"),)),
    ("Mr Crawley paid £300 for the car.", (("Mr Crawley", "PERSON"),)),
])
def test_places_inside_entities(nlp, linker, sentence, ents):
    doc = run(nlp, linker, sentence + TALK, [first_number(sentence)], ents=ents)
    assert code_of(doc) is None
    assert set(kinds(doc).values()) & {"in_entity", "name_part", "venue_event"}


# ----- the council as an organisation (scope council) and its area as a place (scope area) -----
@pytest.mark.parametrize("text,number,scope,code", [
    ("Kirklees Council said 1,800 of its tenants were behind with rent.", "1,800", "council", "E08000034"),
    ("Rotherham councillors approved a £3m cut to libraries.", "£3m", "council", "E08000018"),
    ("Wirral's cabinet agreed to spend £2m on parks.", "£2m", "council", "E08000015"),
    ("In Torbay the council tax will rise by 4%.", "4%", "council", "E06000027"),
    ("Unemployment in Hartlepool rose to 8% last year, the council heard.", "8%", "council", "E06000001"),
    ("Unemployment in Sunderland rose to 7% last year." + TALK, "7%", "area", "E08000024"),
    ("About 400 homes in North Somerset lost power." + TALK, "400", "area", "E06000024"),
    ("Fly-tipping in Luton doubled to 900 cases." + TALK, "900", "area", "E06000032"),
])
def test_council_and_area_scopes(nlp, linker, text, number, scope, code):
    doc = run(nlp, linker, text, [number], kind="money" if number.startswith("£") else "count")
    assert (link_of(doc).scope, code_of(doc)) == (scope, code)


@pytest.mark.parametrize("text,number,why", [
    ("Unemployment in Sunderland rose to 7% last year.", "7%", "no council talk anywhere in the article"),
    ("In Leeds and Bradford 300 homes lost power." + TALK, "300", "two areas: which one?"),
    ("A 30,000-tonne ship ran aground off Pembrokeshire." + TALK, "30,000-tonne", "a thing's size, not an area figure"),
    ("Sunderland is a city where, after years of work, the yard finally employed 700." + TALK, "700",
     "the place is too far from the number"),
])
def test_no_area_link(nlp, linker, text, number, why):
    doc = run(nlp, linker, text, [number], kind="quantity" if "tonne" in number else "count")
    link = link_of(doc)
    assert link.council is None, why
    if link.scope == "area":
        assert "ambiguous_council" in link.flags


def test_an_area_with_another_actor_is_not_an_area_figure(nlp, linker):
    text = "Tesco will create 250 jobs in Sunderland." + TALK
    doc = run(nlp, linker, text, ["250"], ents=(("Tesco", "ORG"),), kind="count")
    assert code_of(doc) is None and link_of(doc).scope != "area"


# ----- regions, nations and bodies that are not councils -----
@pytest.mark.parametrize("sentence,scope,other_body", [
    ("Across the South West, 300 pubs closed last year.", "other", None),
    ("London has lost a third of its libraries, about 120 of them.", "other", None),
    ("Water bills in Northern Ireland will rise by £40.", "national", None),
    ("The Northern Ireland Assembly voted to raise the fine to £90.", "other", None),
    ("The Mayor of London will spend £20m on buses.", "other", "E61000001"),
    ("The Greater London Authority will spend £20m on buses.", "other", "E61000001"),
    ("The West Midlands Combined Authority will invest £40m in trams.", "other", "E47000007"),
    ("Police Scotland recruited 300 officers.", "other", None),
    ("The health board saved £4m on agency staff.", "other", None),
    ("The Scottish Government gave £5m to islands.", "national", None),
    ("Sport England gave the club £40,000 towards a pitch.", "other", None),
])
def test_bodies_that_are_not_councils(nlp, linker, sentence, scope, other_body):
    text = f"Belfast City Council and Camden Council set their budgets.\n\n{sentence}"
    doc = run(nlp, linker, text, [first_number(sentence)], day=date(2016, 6, 1))
    link = link_of(doc)
    assert (link.scope, link.council, link.other_body) == (scope, None, other_body)


def test_a_named_giver_after_the_figure_wins(nlp, linker):
    text = "Glasgow City Council agreed a rescue: £90,000 from Creative Scotland and £30,000 from the council."
    doc = run(nlp, linker, text, ["£90,000", "£30,000"])
    assert (link_of(doc, 0).scope, code_of(doc, 0)) == ("other", None)
    assert (link_of(doc, 1).scope, code_of(doc, 1)) == ("council", "S12000049")


# ----- the paragraph and article rules need a local-government article and a sentence with no other actor ----
LOCAL_GOVERNMENT = ("Council tax in Barnsley to rise\n\nBarnsley Council will raise council tax by 3%, its cabinet agreed.\n\n"
                    "Libraries will share £2m of savings.\n\n")


@pytest.mark.parametrize("paragraph,number,ents,code", [
    ("The rise adds £30 to a typical bill.", "£30", (), "E08000016"),
    ("Acme Ltd will cut 200 jobs at its depot.", "200", (("Acme Ltd", "ORG"),), None),
    ("Judge Mary Brown fined the driver £500.", "£500", (("Mary Brown", "PERSON"),), None),
    ("Tourists spent £9m in France last year.", "£9m", (("France", "GPE"),), None),
    ('"We lose £40 a week," said one shopkeeper.', "£40", (), None),
    ("Turnout in the ward was 31%.", "31%", (), None),
    ("Organisers said 8,000 people came to the fair.", "8,000", (), None),
    ("MPs voted by 320 to 200 to back the bill.", "320", (), None),
])
def test_article_rule_needs_a_sentence_without_another_actor(nlp, linker, paragraph, number, ents, code):
    doc = run(nlp, linker, LOCAL_GOVERNMENT + paragraph, ["3%", number], headline=True, ents=ents)
    assert code_of(doc, 0) == "E08000016"
    assert code_of(doc, 1) == code


def test_a_council_named_once_at_the_end_is_not_the_article_council(nlp, linker):
    text = ("Festival crowds break record\n\nThe festival drew 60,000 visitors this year.\n\n"
            "Stalls took £2m over the weekend.\n\nRichmondshire District Council issued 40 licences.")
    doc = run(nlp, linker, text, ["60,000", "£2m", "40"], headline=True, day=date(2019, 5, 1))
    assert doc._.main_council is None
    assert [code_of(doc, i) for i in range(3)] == [None, None, "E07000166"]


def test_a_title_naming_the_council_makes_a_local_government_article(nlp, linker):
    text = "The cabinet met on Monday.\n\nThe plan will cost £5m over three years."
    doc = run(nlp, linker, text, ["£5m"], title="Stockport council budget approved")
    assert doc._.main_council.code == "E08000007"
    assert (code_of(doc), link_of(doc).basis) == ("E08000007", "article")


# ----- dates: undated names that meant different councils get no code; renames keep theirs -----
@pytest.mark.parametrize("sentence,day,code,ambiguous", [
    ("Belfast City Council will spend £5m.", None, None, True),          # 95Z before 2015, N09000003 after
    ("Belfast City Council will spend £5m.", date(2010, 5, 1), "95Z", False),
    ("Omagh District Council will spend £5m.", None, "95K", False),       # only ever one council
    ("Bournemouth will spend £5m, the council said.", None, None, True),  # before and after 2019
    ("Shepway District Council will spend £5m.", None, "E07000112", False),  # renamed in 2018, same code
    ("Shepway District Council will spend £5m.", date(2015, 5, 1), "E07000112", False),
    ("Folkestone and Hythe District Council will spend £5m.", None, "E07000112", False),
    ("Norfolk will spend £5m, the council said.", None, "E10000020", False),
])
def test_undated_and_renamed_names(nlp, linker, sentence, day, code, ambiguous):
    doc = run(nlp, linker, sentence, ["£5m"], day=day)
    link = link_of(doc)
    assert code_of(doc) == code
    assert ("ambiguous_council" in link.flags) == ambiguous


def test_entity_sentences_are_the_number_mention_and_lede_sentences(nlp, linker):
    from pipeline.components.council_linker import entity_sentences

    text = ("Leeds council cuts\n\nLeeds City Council will cut 100 posts. It met today.\n\nMore words here. "
            "Other words there.\n\nThe end came with 12 votes. Nothing else.\n\nWakefield is near.\n\n"
            "Acme bought a site. Some words. It will hire 40 people.")
    doc = run(nlp, linker, text, ["100", "12", "40"], headline=True)
    wanted = {s.text.strip() for s in entity_sentences(doc)}
    assert {"The end came with 12 votes.", "Wakefield is near.", "It will hire 40 people.", "Some words."} <= wanted
    assert not {"Nothing else.", "Acme bought a site."} & wanted


# ----- which council in a sentence that names several, and whose figure it is -----
@pytest.mark.parametrize("text,number,kind,ents,code,scope", [
    # the number's clause
    ("Wigan council cut spending by 8% - while Bolton cut less.", "8%", "percent", (), "E08000010", "council"),
    # the place before the bracket owns the figures inside it
    ("At council level Bury (91% of 700 pupils) and Oldham (88% of 900 pupils) led.", "700", "count", (),
     "E08000002", "council"),
    ("At council level Bury (91% of 700 pupils) and Oldham (88% of 900 pupils) led.", "900", "count", (),
     "E08000004", "council"),
    # the city's population is the area's
    ("Salford City Council said the city's population had grown by 2% a year.", "2%", "percent", (),
     "E08000006", "area"),
    ("Salford City Council said the area lost 30% of its pubs.", "30%", "percent", (), "E08000006", "area"),
    ("Salford City Council has 900 children in care, a looked-after population of 900.", "900", "count", (),
     "E08000006", "council"),
    # an organisation nearer to a count than the council owns it, unless the council is the subject of money
    ("The council expects the Acme plans to create 300 jobs.", "300", "count", (("Acme", "ORG"),), None, "unknown"),
    ("Salford City Council will spend £2m on the Acme Baths.", "£2m", "money", (("Acme Baths", "ORG"),),
     "E08000006", "council"),
    # casualties are not a council's figure
    ("Three people were injured when a Salford City Council van crashed.", "Three", "count", (), None, "other"),
])
def test_whose_figure(nlp, linker, text, number, kind, ents, code, scope):
    doc = run(nlp, linker, text, [number], ents=ents, kind=kind)
    assert (code_of(doc), link_of(doc).scope) == (code, scope)


def test_a_full_stop_the_senter_missed_ends_the_sentence(nlp, linker):
    # one "sentence" to a blank sentencizer that stops only at the last full stop
    text = "Costs rose to £9m. Islands council, Orkney Islands Council, objected"
    doc = run(nlp, linker, text, ["£9m"])
    assert link_of(doc).basis != "sentence"


def test_the_council_is_the_council_named_just_before(nlp, linker):
    text = ("Pembrokeshire council lost income. Flintshire has recycled more than ever. "
            "Recycling earned the council £500,000.")
    doc = run(nlp, linker, text, ["£500,000"])
    assert code_of(doc) == "W06000005"


def test_a_pronoun_after_a_company_does_not_inherit_the_council(nlp, linker):
    text = (LOCAL_GOVERNMENT + "Acme Homes bought the site in 2014. It said the scheme would create 90 jobs.")
    doc = run(nlp, linker, text, ["3%", "90"], headline=True, ents=(("Acme Homes", "ORG"),))
    assert code_of(doc, 1) is None


def test_a_national_paragraph_stays_national_without_a_council(nlp, linker):
    text = "Care costs are rising in England. The total reached £5m last year."
    doc = run(nlp, linker, text, ["£5m"])
    assert (link_of(doc).scope, link_of(doc).basis) == ("national", "paragraph")


@pytest.mark.parametrize("text,talk", [
    ("The council will spend £5m.", True),
    ("COUNCILLORS voted on Tuesday.", True),
    ("Two local authorities share the cost.", True),
    ("The authority said so.", True),
    ("Shares in Acme rose 5%.", False),
    ("The Councillor-General spoke.", True),  # the regex's own reading decides once a word is there
    ("An authoritative report.", False),  # "autho" is there, the words are not
    ("Counceled by the lawyers.", False),
])
def test_council_talk(text, talk):
    from pipeline.components.council_linker import _COUNCIL_CONTEXT, _council_talk

    assert _council_talk(text) == talk == bool(_COUNCIL_CONTEXT.search(text))
