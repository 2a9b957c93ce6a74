"""PLACEHOLDER: passes docs through until the real component lands."""
from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("period_finder", default_config={})
def make_period_finder(nlp: Language, name: str, **settings: object) -> "PeriodFinder":
    return PeriodFinder()


class PeriodFinder:
    def __call__(self, doc: Doc) -> Doc:
        return doc
