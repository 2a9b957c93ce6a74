"""Tests for pipeline/components/publication_dater.py on plain texts and hand-built docs."""
from datetime import date

import pytest
import spacy

from pipeline import extensions  # noqa: F401
from pipeline.components.publication_dater import PublicationDater
from pipeline.dates.finder import default_finder
from pipeline.io.structure import segment
from pipeline.records import Article, Segment

D = date.fromisoformat


@pytest.fixture(scope="module")
def dater():
    return PublicationDater(default_finder())


@pytest.mark.parametrize("published,expected,earliest,latest", [
    ("2014-03-10", "2014-03-10", None, None),
    ("2014-03-10T09:15:00Z", "2014-03-10", None, None),
    ("Mon, 10 Mar 2014 09:15:00 GMT", "2014-03-10", None, None),
    ("10 March 2014", "2014-03-10", None, None),
    ("March 2014", None, "2014-03-01", "2014-03-31"),
])
def test_metadata(dater, published, expected, earliest, latest):
    publication = dater.date_article("Some text.", published)
    assert publication.basis == "metadata"
    assert publication.date == (D(expected) if expected else None)
    assert publication.earliest == (D(earliest) if earliest else None)
    assert publication.latest == (D(latest) if latest else None)


@pytest.mark.parametrize("published", [None, "", "   ", "not a date", "2014"])
def test_unusable_metadata_falls_through(dater, published):
    assert dater.date_article("Nothing dated here.", published).basis == "none"


@pytest.mark.parametrize("text,expected", [
    ("Norfolk aims to cut care numbers\n\nNeil Puffett\nMonday, March 10, 2014\n\nThe council has 1,137 children.", "2014-03-10"),
    ("The missing piece\n\nSeptember 11, 2019\u00a0\u00a0 By Pawda Tjoa, Senior Policy Researcher, NLGN\n\nText.", "2019-09-11"),
    ("Headline\nPublished: 3 June 2015\nBody text follows.", "2015-06-03"),
    ("Headline\n\nBody.\n\nThis article first appeared in The Local Government Chronicle on 10th September 2019.", "2019-09-10"),
])
def test_byline(dater, text, expected):
    publication = dater.date_article(text)
    assert (publication.basis, publication.date) == ("byline", D(expected))


@pytest.mark.parametrize("text", [
    # A dated sentence in a long body paragraph is not a byline.
    "Headline\n\n" + "In a long paragraph about the council, " * 6 + "on 10 March 2014 the council voted to close 12 centres.",
    "Headline\n\nIn December 2013 the government issued an improvement notice.",  # no day: not a byline date
    "Headline\n\nThe council will meet on Monday 25 September.",  # no year
])
def test_not_bylines(dater, text):
    assert dater.date_article(text).basis == "none"


def test_first_comment_bounds_the_date(dater):
    text = ("Headline\n\nThe director will take up the role on 5 March.\n\n"
            "One Response to Headline\n\n  1. Molly Saul March 3, 2018 at 5:37 pm #\n\n    Good luck with this.")
    publication = dater.date_article(text)
    assert (publication.basis, publication.date) == ("inferred", None)
    assert publication.latest == D("2018-03-03") and publication.earliest == D("2018-01-02")
    assert "March 3, 2018 at 5:37 pm" in publication.text


def test_correction_note_narrows_the_bounds(dater):
    text = ("Headline\n\nThe committee will decide on Monday 25 September.\n\n"
            "*Correction: The headline was amended on 20 September.\n\n"
            "One Response to Headline\n\n  1. Hilary Searing September 21, 2017 at 9:31 am #\n\n    Comment.")
    publication = dater.date_article(text)
    assert publication.latest == D("2017-09-20") and publication.earliest.year == 2017
    assert publication.date is None


COMMENT_2017 = "\n\nOne Response to Headline\n\n  1. Hilary Searing September 21, 2017 at 9:31 am #\n\n    Comment."


@pytest.mark.parametrize("body,earliest,latest", [
    # announced for Monday 25 September (2017: the year whose 25 September is a Monday), "next week":
    # published in the week of 18 September, before the first comment on the 21st
    ("Councillors will next week debate it. The committee will decide on Monday 25 September.", "2017-09-18", "2017-09-21"),
    # announced without "next week": only published before the event
    ("The committee will decide on Monday 25 September.", "2017-07-23", "2017-09-21"),
    # an event after the first comment does not narrow anything
    ("The committee will decide on Monday 2 October.", "2017-07-23", "2017-09-21"),
    # past tense: not an announcement
    ("The committee decided on the matter on Monday 11 September.", "2017-07-23", "2017-09-21"),
])
def test_announced_event_narrows_the_bounds(dater, body, earliest, latest):
    publication = dater.date_article("Headline\n\n" + body + COMMENT_2017)
    assert (publication.earliest, publication.latest) == (D(earliest), D(latest))


def test_announcement_in_reader_comments_does_not_narrow(dater):
    text = ("Headline\n\nThe committee met in the town hall for three hours.\n\nOne Response to Headline\n\n"
            "  1. Hilary Searing September 21, 2017 at 9:31 am #\n\n    They will vote next week on Monday 18 September.")
    with_segments = dater.date_article(text, segments=segment(text))
    assert (with_segments.earliest, with_segments.latest) == (D("2017-07-23"), D("2017-09-21"))
    as_body = dater.date_article(text, segments=[Segment(0, len(text), "body")])  # the same words in the body narrow it
    assert (as_body.earliest, as_body.latest) == (D("2017-09-11"), D("2017-09-17"))


@pytest.mark.parametrize("text", [
    "The meeting is at 9:31 am on Thursday.",   # a time without a date
    "It was posted at 9.31am.",
])
def test_no_comment_date_no_bounds(dater, text):
    assert dater.date_article(text).basis == "none"


def test_component_reads_article_and_segments(dater):
    text = "Headline\nMonday, March 10, 2014\n\nThe council currently has 1,137 children."
    nlp = spacy.blank("en")
    doc = nlp.make_doc(text)
    doc._.article = Article(doc_id="a", source_path="a.txt", original_text=text, text=text, published=None)
    doc._.segments = [Segment(0, 8, "headline"), Segment(9, 31, "byline"), Segment(33, len(text), "body")]
    dater(doc)
    assert (doc._.publication.date, doc._.publication.basis) == (D("2014-03-10"), "byline")


def test_metadata_beats_byline(dater):
    text = "Headline\nMonday, March 10, 2014\n\nBody."
    assert dater.date_article(text, "2014-03-11").date == D("2014-03-11")


GIVEN = D("2020-01-15")  # claims extract --published


@pytest.mark.parametrize("text,published,basis,expected", [
    ("Headline\n\nNothing dated here.", None, "given", "2020-01-15"),
    ("Headline\n\nNothing dated here.", "not a date", "given", "2020-01-15"),  # unusable metadata
    ("Headline\n\nBody.", "2014-03-11", "metadata", "2014-03-11"),  # the article's own date wins
    ("Headline\nMonday, March 10, 2014\n\nBody.", None, "byline", "2014-03-10"),
])
def test_given_date_is_for_articles_without_their_own(dater, text, published, basis, expected):
    publication = dater.date_article(text, published, default=GIVEN)
    assert (publication.basis, publication.date) == (basis, D(expected))


@pytest.mark.parametrize("given,basis,expected", [
    ("2017-09-01", "given", "2017-09-01"),  # within the bounds the comments set
    ("2020-01-15", "inferred", None),  # after the first comment: the article says it was not published then
    ("2017-01-01", "inferred", None),  # long before it
])
def test_given_date_must_agree_with_comment_bounds(dater, given, basis, expected):
    text = "Headline\n\nThe committee will settle the budget after a long public consultation." + COMMENT_2017
    publication = dater.date_article(text, default=D(given))
    assert (publication.basis, publication.date) == (basis, D(expected) if expected else None)


def test_component_reads_the_given_date_from_the_article(dater):
    text = "Headline\n\nThe council has 1,137 children."
    doc = spacy.blank("en").make_doc(text)
    doc._.article = Article(doc_id="a", source_path="a.txt", original_text=text, text=text, published_default=GIVEN)
    doc._.segments = [Segment(0, 8, "headline"), Segment(10, len(text), "body")]
    dater(doc)
    assert (doc._.publication.date, doc._.publication.basis) == (GIVEN, "given")


def test_factory_builds_from_config():
    nlp = spacy.blank("en")
    from pipeline import components  # noqa: F401

    dater = nlp.add_pipe("publication_dater", config={"inferred_window_days": 30})
    assert dater.window.days == 30
