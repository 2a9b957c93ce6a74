"""Every custom Doc/Span attribute the pipeline uses, registered in one place.

Doc-level:
  doc._.article      Article | None   the input record (ids, metadata, offset map)  } set by extract.prepare_doc
  doc._.segments     list[Segment]    headline/body/boilerplate stretches             } before the NLP runs;
                                      the `article` component declares them (and fills them in for nlp(text))
  doc._.publication  Publication      set by publication_dater
  doc._.main_council Council | None   set by council_linker: the council the article is about
  doc._.claims       list[ClaimRow]   set by claim_builder
  doc._.sentence_parses dict[int, Doc] set by claim_parser: sentence start char -> the parsed
                     sentence (its tokens are the main doc's, from that character on)
Span groups:
  doc.spans["numbers"]   number candidates kept as claims (number_finder)
  doc.spans["rejected_numbers"]  number candidates vetoed (number_finder), label = the veto's code
  doc.spans["dates"]     date expressions (period_finder)
  doc.spans["councils"]  council mentions (council_linker)
Span-level (on doc.spans["numbers"]):
  span._.amount       Amount
  span._.change_id    str | None   shared by the two ends of a range or change
  span._.role         str | None   low | high | from | to
  span._.period       Period       (period_finder)
  span._.council_link CouncilLink  (council_linker)
Span-level (on doc.spans["rejected_numbers"]):
  span._.veto         Veto | None  why the number is not a claim: .code ("year", "date", "age", "score",
                                   "list_number", "phone", "name_entity", ...) and .words for reviewers
                                   (pipeline/numbers/vetoes.py). Like every span attribute it is stored
                                   by character offsets, so read it on rejected_numbers spans only.
Span-level (on doc.spans["councils"]):
  span._.council      Council | None
  span._.council_candidates tuple[Council, ...]
  span._.mention_kind str          council_name | place | town | reference, or why the match is not a
                                   council: not_capitalised, name_part, in_entity, title, home,
                                   constituency, venue_event, other_place, other_body (label NOT_COUNCIL)
"""
from spacy.tokens import Doc, Span

_DOC_ATTRS = {
    "article": None,
    "segments": None,
    "publication": None,
    "main_council": None,
    "claims": None,
    "sentence_parses": None,
}
_SPAN_ATTRS = {
    "amount": None,
    "change_id": None,
    "role": None,
    "period": None,
    "council_link": None,
    "council": None,
    "council_candidates": (),
    "veto": None,
    "mention_kind": "",
}


def doc_text(doc: Doc) -> str:
    """doc.text, built once per doc: Doc.text joins every token on each call, and five components
    need it (10% of a run's time when each built its own)."""
    text = doc.user_data.get("council_claims.text")
    if text is None:
        text = doc.user_data["council_claims.text"] = doc.text
    return text


def register_extensions() -> None:
    for name, default in _DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN_ATTRS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()
