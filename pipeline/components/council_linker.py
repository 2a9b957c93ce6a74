"""PLACEHOLDER: passes docs through until the real component lands."""
from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("council_linker", default_config={})
def make_council_linker(nlp: Language, name: str, **settings: object) -> "CouncilLinker":
    return CouncilLinker()


class CouncilLinker:
    def __call__(self, doc: Doc) -> Doc:
        return doc
