"""claim_builder: citations into the original text, ids, changes, sections, flags (blank pipeline)."""
from datetime import date

import pytest
import spacy

from pipeline import components  # noqa: F401  (registers line_sentences)
from pipeline.components.claim_builder import ClaimBuilder
from pipeline.io.inputs import repair
from pipeline.records import Amount, Article, Council, CouncilLink, Period, Publication, Segment

NORFOLK = Council("E10000020", "Norfolk County Council", "Norfolk", "county", "England")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("line_sentences")
    nlp.add_pipe("sentencizer")
    return nlp


def build(nlp, text, numbers, *, original=None, offset_map=None, segments=None, link=None, period=None, changes=(),
          search_from=0):
    """numbers: (surface, Amount kwargs) in order of appearance, the first found from `search_from`."""
    doc = nlp(text)
    doc._.article = Article("doc1", "seeds/doc1.txt", original or text, text, offset_map=offset_map)
    doc._.segments = segments or [Segment(0, len(text), "body")]
    doc._.publication = Publication(date(2018, 3, 1), "byline")
    spans, cursor = [], search_from
    for surface, kwargs in numbers:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        span = doc.char_span(start, cursor, alignment_mode="expand")
        span._.amount = Amount(start=start, end=cursor, **kwargs)
        span._.council_link = link or CouncilLink(NORFOLK, "council", "sentence", 1.0)
        span._.period = period or Period(date(2018, 4, 1), date(2019, 3, 31), "in 2018-19", "explicit")
        spans.append(span)
    for change_id, (i, j, roles) in enumerate(changes):
        for index, role in zip((i, j), roles):
            spans[index]._.change_id = f"c{change_id}"
            spans[index]._.role = role
    doc.spans["numbers"] = spans
    return ClaimBuilder()(doc)._.claims


MONEY = {"value": 3_900_000.0, "kind": "money", "unit": "GBP", "rule": "money"}


def test_citation_indexes_the_original_text(nlp):
    text = "Headline\n\nThe council will spend £3.9 million on its service in 2018-19."
    claims = build(nlp, text, [("£3.9 million", MONEY)])
    claim = claims[0]
    assert (claim.text, claim.line) == ("£3.9 million", 3)
    assert text[claim.char_start : claim.char_end] == "£3.9 million"
    assert claim.sentence == "The council will spend £3.9 million on its service in 2018-19."
    assert (claim.council_code, claim.scope, claim.link_basis) == ("E10000020", "council", "sentence")
    assert (claim.period_start, claim.period_end, claim.period_basis) == ("2018-04-01", "2019-03-31", "explicit")
    assert claim.published == "2018-03-01" and claim.flags == ""
    assert claim.measure == "service"


def test_repaired_text_maps_back_to_mojibake_offsets(nlp):
    original = "It cost Â£69m last year."
    repaired, offset_map = repair(original)
    assert repaired == "It cost £69m last year."
    claims = build(nlp, repaired, [("£69m", {"value": 69e6, "kind": "money", "unit": "GBP", "rule": "money"})],
                   original=original, offset_map=offset_map)
    assert claims[0].text == "Â£69m"
    assert original[claims[0].char_start : claims[0].char_end] == "Â£69m"
    assert claims[0].value == 69e6


def cited(claim, source: str) -> tuple[str, str]:
    """The sentence the row cites in the source, and the number at its sentence_offset."""
    sentence = source[claim.sentence_start : claim.sentence_end]
    return sentence, claim.sentence[claim.sentence_offset : claim.sentence_offset + len(claim.text)]


@pytest.mark.parametrize("original,numbers,search_from", [
    # the first "5" is a date, the claim is the second: the offset is the claim's own occurrence
    ("Headline\n\nOn 5 May the council closed 5 libraries.", [("5", "5")], 20),
    # mojibake: the sentence and the offsets index the original bytes as decoded ("Â£"), not the repair
    ("Intro line.\nIt cost Â£69m, up from Â£60m. Thatâ€™s Â£9m more.", [("£69m", "Â£69m"), ("£60m", "Â£60m"),
                                                                       ("£9m", "Â£9m")], 0),
    # two equal numbers in one sentence each find their own
    ("Six schools got £1m and six more got £1m.", [("£1m", "£1m"), ("£1m", "£1m")], 0),
])
def test_sentence_offsets_point_at_the_claims_own_occurrence(nlp, original, numbers, search_from):
    repaired, offset_map = repair(original)
    amount = {"value": 1.0, "kind": "money", "unit": "GBP", "rule": "money"}
    claims = build(nlp, repaired, [(surface, amount) for surface, _ in numbers], original=original,
                   offset_map=offset_map, search_from=search_from)
    for claim, (_, text) in zip(claims, numbers):
        sentence, at_offset = cited(claim, original)
        assert sentence == claim.sentence and at_offset == claim.text == text
        assert claim.sentence_start + claim.sentence_offset == claim.char_start
    assert len({c.sentence_offset for c in claims}) == len(claims)


def test_claim_id_is_stable_when_other_text_moves(nlp):
    sentence = "The council will spend £3.9 million on its service."
    first = build(nlp, sentence, [("£3.9 million", MONEY)])[0]
    moved = build(nlp, "A new opening paragraph.\n\n" + sentence, [("£3.9 million", MONEY)])[0]
    changed = build(nlp, sentence.replace("service", "services"), [("£3.9 million", MONEY)])[0]
    assert first.claim_id == moved.claim_id
    assert first.claim_id != changed.claim_id
    assert first.char_start != moved.char_start


def test_repeated_number_in_one_sentence_gets_distinct_ids(nlp):
    text = "Six schools got £1m and six more got £1m."
    amount = {"value": 1e6, "kind": "money", "unit": "GBP", "rule": "money"}
    claims = build(nlp, text, [("£1m", amount), ("£1m", amount)])
    assert len({c.claim_id for c in claims}) == 2


def test_change_ends_share_a_stable_change_id(nlp):
    text = "Spend will rise from £57.4 million to £73.7 million."
    claims = build(nlp, text, [("£57.4 million", {**MONEY, "value": 57.4e6}), ("£73.7 million", {**MONEY, "value": 73.7e6})],
                   changes=[(0, 1, ("from", "to"))])
    assert [c.role for c in claims] == ["from", "to"]
    assert claims[0].change_id == claims[1].change_id == "chg-" + claims[0].claim_id[:12]


@pytest.mark.parametrize("link,period,expected", [
    (CouncilLink(None, "unknown", "none", 0.0), Period(None, None), "no_council;no_period"),
    (CouncilLink(None, "national", "sentence", 0.9), Period(None, None), "no_period"),
    (CouncilLink(None, "unknown", "none", 0.0, ("ambiguous_council",)), None, "ambiguous_council;no_council"),
    (None, None, ""),
])
def test_flags(nlp, link, period, expected):
    claims = build(nlp, "They spent £3.9 million.", [("£3.9 million", MONEY)], link=link, period=period)
    assert claims[0].flags == expected


@pytest.mark.parametrize("qualifier,direction,bound", [
    ("more than", "lower_bound", True),
    ("up to", "upper_bound", True),
    ("just over", "just_above", False),  # near a point value: not a limit
    ("almost", "just_below", False),
    ("about", "approximate", False),
    (None, None, False),
])
def test_bound_flag_comes_from_the_direction(nlp, qualifier, direction, bound):
    amount = {**MONEY, "qualifier": qualifier, "direction": direction}
    claims = build(nlp, "They spent £3.9 million.", [("£3.9 million", amount)])
    assert ("bound" in claims[0].flags.split(";")) is bound


def test_headline_and_body_figures_share_a_group(nlp):
    text = "Council asks for £12 million\n\nThe council plans to invest £12 million in services."
    amount = {"value": 12e6, "kind": "money", "unit": "GBP", "rule": "money"}
    segments = [Segment(0, 28, "headline"), Segment(28, len(text), "body")]
    claims = build(nlp, text, [("£12 million", amount), ("£12 million", amount)], segments=segments)
    assert [c.section for c in claims] == ["headline", "body"]
    assert claims[0].group_id and claims[0].group_id == claims[1].group_id
    assert claims[0].sentence == "Council asks for £12 million"


def test_confidence_falls_without_council_or_period(nlp):
    sure = build(nlp, "They spent £3.9 million.", [("£3.9 million", MONEY)])[0]
    unsure = build(nlp, "They spent £3.9 million.", [("£3.9 million", MONEY)],
                   link=CouncilLink(None, "unknown", "none", 0.0), period=Period(None, None))[0]
    assert 0 < unsure.confidence < sure.confidence <= 1


@pytest.mark.parametrize("text,title", [
    # a text without a headline is named by its first line, cut: a table pasted as one line is not
    # copied into every row (5,000 rows of a 100 KB title were gigabytes)
    (" ".join(f"{i}%" for i in range(400)) + ".", " ".join(f"{i}%" for i in range(77)) + "…"),
    ("Council tax rises\n\nThe rate goes up by 5%.", "Council tax rises"),
])
def test_title_of_a_text_without_one_is_its_first_line_cut(nlp, text, title):
    surface = "5%" if "goes up" in text else "7%"
    claims = build(nlp, text, [(surface, {"value": 5.0, "kind": "percent", "unit": "%", "rule": "percent"})])
    assert claims[0].title == title and len(title) <= 301
