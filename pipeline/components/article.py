"""The article a Doc was made from, first in the pipeline. Reads and writes doc._.article and doc._.segments.

pipeline.extract.prepare_doc segments the article and blanks its boilerplate before tokenizing
(blanking must happen on the text, so it cannot be a component), then attaches the Article and
its Segments to the Doc. This component stands for that step in the pipeline, so that the
components reading them declare `requires` that nlp.analyze_pipes() can check. It fills in a
plain article (the Doc's own text, no segments) for a Doc made by `nlp(text)`, and refuses an
Article whose text is not the Doc's (the citations would point at the wrong characters).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import extensions  # noqa: F401
from pipeline.extensions import doc_text
from pipeline.records import Article


@Language.component("article", assigns=["doc._.article", "doc._.segments"])
def article_component(doc: Doc) -> Doc:
    article = doc._.article
    if article is None:
        doc._.article = article_of(doc)
    elif len(article.text) != len(doc_text(doc)):
        raise ValueError(
            f"{article.source_path or article.doc_id}: the Doc's text has {len(doc_text(doc))} characters but the "
            f"article's {len(article.text)}; make the Doc with pipeline.extract.prepare_doc"
        )
    if doc._.segments is None:
        doc._.segments = []
    return doc


def article_of(doc: Doc) -> Article:
    """doc._.article, or for a Doc made from bare text an Article of that text (doc_id "doc")."""
    if doc._.article is not None:
        return doc._.article
    text = doc_text(doc)
    return Article(doc_id="doc", source_path="", original_text=text, text=text)
