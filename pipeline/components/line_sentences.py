"""Start a sentence at every new line of text. Reads tokens; writes token.is_sent_start before senter runs.

News text puts headlines, standfirsts, captions and paragraphs on lines of their own, and
without punctuation between them senter can run a headline into the first paragraph (and so
a citation's `sentence` would span both). A line that continues a hard-wrapped sentence (the
previous line ends without punctuation and this one starts in lower case) is left to senter.
senter is sourced with overwrite = false, so it keeps these starts and fills in the rest.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_END = tuple('.!?:;"”’\')]')


@Language.component("line_sentences", assigns=["token.is_sent_start"])
def line_sentences(doc: Doc) -> Doc:
    previous_word = None
    newline_seen = False
    for token in doc:
        if token.is_space:
            newline_seen = newline_seen or "\n" in token.text
            continue
        if newline_seen and previous_word is not None:
            wrapped = not previous_word.text.endswith(SENTENCE_END) and token.text[:1].islower()
            if not wrapped:
                token.is_sent_start = True
        previous_word = token
        newline_seen = False
    return doc
