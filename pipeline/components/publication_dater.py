"""PLACEHOLDER: passes docs through until the real component lands."""
from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("publication_dater", default_config={})
def make_publication_dater(nlp: Language, name: str, **settings: object) -> "PublicationDater":
    return PublicationDater()


class PublicationDater:
    def __call__(self, doc: Doc) -> Doc:
        return doc
