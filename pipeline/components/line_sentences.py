"""Start a sentence at every new line of text. Reads tokens; writes token.is_sent_start before senter runs.

News text puts headlines, standfirsts, captions and paragraphs on lines of their own, and
without punctuation between them senter can run a headline into the first paragraph (and so
a citation's `sentence` would span both). A blank line always starts one; after a single line
break, a line that continues a hard-wrapped sentence (the previous line ends without
punctuation and this one starts with a lower-case letter, a digit or a currency sign) is left to senter.
senter is sourced with overwrite = false, so it keeps these starts and fills in the rest.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_END = tuple('.!?:;"”’\')]')
CONTINUES = frozenset("0123456789£$€")


@Language.component("line_sentences", assigns=["token.is_sent_start"])
def line_sentences(doc: Doc) -> Doc:
    previous_word = None
    newlines = 0
    for token in doc:
        if token.is_space:
            newlines += token.text.count("\n")
            continue
        if newlines and previous_word is not None:
            wrapped = (newlines == 1 and not previous_word.text.endswith(SENTENCE_END)
                       and (token.text[:1].islower() or token.text[:1] in CONTINUES))
            if not wrapped:
                token.is_sent_start = True
        previous_word = token
        newlines = 0
    return doc
