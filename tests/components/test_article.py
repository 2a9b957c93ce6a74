"""Tests for pipeline/components/article.py on a blank pipeline."""
import pytest
import spacy

from pipeline import components  # noqa: F401  (registers the factories)
from pipeline.io.structure import blank, segment
from pipeline.records import Article, Segment


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("article")
    return nlp


def test_prepared_article_and_segments_are_kept(nlp):
    text = "Council spends £5m\n\nThe council spent £5m on roads.\n\nRead more about roads"
    article = Article(doc_id="a", source_path="a.txt", original_text=text, text=text)
    segments = segment(text)
    doc = nlp.make_doc(blank(text, segments))
    doc._.article, doc._.segments = article, segments
    doc = nlp(doc)
    assert doc._.article is article and doc._.segments is segments


def test_bare_text_gets_a_plain_article(nlp):
    doc = nlp("The council spent £5m on roads.")
    assert (doc._.article.doc_id, doc._.article.text, doc._.segments) == ("doc", doc.text, [])


def test_article_of_another_text_is_refused(nlp):
    doc = nlp.make_doc("The council spent £5m.")
    doc._.article = Article(doc_id="a", source_path="a.txt", original_text="Other text", text="Other text")
    doc._.segments = [Segment(0, 10, "body")]
    with pytest.raises(ValueError, match="a.txt: .*prepare_doc"):
        nlp(doc)
