"""The English tokenizer plus one infix rule: a dash between a digit and a currency sign or digit splits.

Without it "£1,000-£2,000" is two tokens ("£", "1,000-£2,000") and the second number has no
token of its own to become a span. Registered as "council_claims.tokenizer.v1" for models/pipeline.cfg.
"""
from __future__ import annotations

from typing import Callable

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex

NUMBER_DASH_INFIX = r"(?<=[0-9])[-–—](?=[£$€0-9])"


@spacy.registry.tokenizers("council_claims.tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    default_factory = spacy.registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make_tokenizer(nlp: Language) -> Tokenizer:
        tokenizer = default_factory(nlp)
        infixes = list(nlp.Defaults.infixes or []) + [NUMBER_DASH_INFIX]
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        return tokenizer

    return make_tokenizer
