"""PLACEHOLDER: passes docs through until the real component lands."""
from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("claim_builder", default_config={})
def make_claim_builder(nlp: Language, name: str, **settings: object) -> "ClaimBuilder":
    return ClaimBuilder()


class ClaimBuilder:
    def __call__(self, doc: Doc) -> Doc:
        return doc
