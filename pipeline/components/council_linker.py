"""Find council mentions and link every number to a council. Reads doc.sents, doc.ents, doc._.segments,
doc._.publication, doc.spans["numbers"]; writes doc.spans["councils"], doc._.main_council, span._.council_link."""
from __future__ import annotations

import bisect
import csv
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.records import Council, CouncilLink
from pipeline.councils.register import CouncilRegister, NameForm, load_register
from pipeline.extensions import doc_text
from pipeline.resources import MODELS_DIR


# Confidence per rule; reviewers read `basis`, these only order the rows.
CONFIDENCE = {
    ("council", "sentence", "name"): 0.95,
    ("council", "sentence", "place"): 0.85,
    ("council", "sentence", "reference"): 0.85,
    ("council", "paragraph", None): 0.7,
    ("council", "article", "name"): 0.6,
    ("council", "article", "place"): 0.5,
    ("national", "sentence", None): 0.8,
    ("national", "paragraph", None): 0.6,
    ("other", "sentence", None): 0.7,
}
AMBIGUITY_PENALTY = 0.6

# Words after "the" that make "the ... council" a reference to the article's council.
_REFERENCE_HEADS = {"council", "authority"}
_REFERENCE_MODIFIERS = {"county", "city", "borough", "district", "local", "unitary", "metropolitan", "county borough"}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_COUNCIL_CONTEXT = re.compile(r"\b(council|councils|councillors?|local authorit(y|ies)|the authority)\b", re.I)
# After a place these words make it the name of something other than the council ("Oxford Town Council").
_NOT_PRINCIPAL = {"town", "parish", "community"}
# "the council tax", "the council estate": the word describes something else, not the council itself.
_NOT_REFERENCE_AFTER = {"tax", "taxes", "taxpayers", "house", "houses", "housing", "homes", "home", "estate",
                        "estates", "flat", "flats", "tenants", "tenancy"}
_COUNCIL_WORDS = {"council", "councils", "county", "city", "borough", "district", "metropolitan", "councillor",
                  "councillors"}


@Language.factory(
    "council_linker",
    requires=["doc.sents"],
    assigns=["doc._.main_council", "span._.council_link", "span._.council", "span._.council_candidates"],
    default_config={
        "register": str(MODELS_DIR / "councils.csv"),
        "aliases": str(MODELS_DIR / "council_aliases.csv"),
        "national_cues": str(MODELS_DIR / "national_cues.csv"),
        "other_bodies": str(MODELS_DIR / "other_bodies.csv"),
    },
)
def make_council_linker(nlp: Language, name: str, register: str, aliases: str, national_cues: str,
                        other_bodies: str) -> "CouncilLinker":
    return CouncilLinker(nlp, load_register(Path(register), Path(aliases)),
                         national_cues=read_phrases(Path(national_cues), "phrase"),
                         other_bodies=read_phrases(Path(other_bodies), "name"))


def read_phrases(path: Path, column: str) -> list[tuple[str, str]]:
    """(phrase, kind) rows of a cue list such as models/national_cues.csv."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [(row[column].strip(), row["kind"].strip()) for row in csv.DictReader(handle) if row[column].strip()]


@dataclass
class Mention:
    """One council mention in the doc: a name, a place standing for the council, or "the council"."""

    span: Span
    strength: str  # name | place | reference
    council: Council | None = None
    candidates: tuple[Council, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass
class Cue:
    span: Span
    scope: str  # national | other
    kind: str


@dataclass
class _Context:
    mentions: list[Mention] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    main: Mention | None = None
    main_candidates: tuple[Council, ...] = ()


class CouncilLinker:
    """Match council names with one PhraseMatcher, resolve them by date, and link each number."""

    def __init__(self, nlp: Language, register: CouncilRegister, *,
                 national_cues: Iterable[tuple[str, str]] = (), other_bodies: Iterable[tuple[str, str]] = ()) -> None:
        self.register = register
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # one key per lower-cased text (the register knows which councils and strengths it names);
        # patterns keep their case because tokenizer exceptions are case-sensitive ("St." vs "st.")
        patterns: dict[str, set[str]] = {}
        for form in register.forms:
            patterns.setdefault(form.text.lower(), set()).add(form.text)
        for key in sorted(patterns):
            texts = sorted(patterns[key])
            self.matcher.add(key, list(nlp.tokenizer.pipe(texts)))
        self.cue_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.cue_kinds: dict[str, tuple[str, str]] = {}
        for scope, phrases in (("national", national_cues), ("other", other_bodies)):
            for phrase, kind in phrases:
                key = f"{scope}|{phrase.lower()}"
                self.cue_kinds[key] = (scope, kind)
                self.cue_matcher.add(key, [nlp.make_doc(phrase)])

    def __call__(self, doc: Doc) -> Doc:
        context = self.match(doc)
        self.set_annotations(doc, context)
        return doc

    # ----- find -----
    def match(self, doc: Doc) -> _Context:
        context = _Context(paragraphs=_paragraphs(doc_text(doc)))
        on = _publication_day(doc)
        has_context = bool(_COUNCIL_CONTEXT.search(doc_text(doc)))
        spans = [Span(doc, start, end, label=doc.vocab.strings[key]) for key, start, end in self.matcher(doc)]
        for span in filter_spans(spans):
            forms = self.register.forms_for(span.label_)
            strength = "name" if any(f.strength == "name" for f in forms) else "place"
            forms = [f for f in forms if f.strength == strength]
            if strength == "place" and not (has_context and _plausible_place(span)):
                continue
            if strength == "name" and not _capitalised(span):
                continue  # "keep down council tax" is not Down District Council
            council, candidates, flags = self.resolve(forms, on, strength)
            context.mentions.append(Mention(Span(doc, span.start, span.end, label="COUNCIL"), strength,
                                            council, candidates, flags))
        taken = {i for m in context.mentions for i in range(m.span.start, m.span.end)}
        cue_spans = [Span(doc, s, e, label=doc.vocab.strings[key]) for key, s, e in self.cue_matcher(doc)]
        for span in filter_spans(cue_spans):
            scope, kind = self.cue_kinds[span.label_]
            if kind == "ignore" or any(i in taken for i in range(span.start, span.end)):
                continue
            context.cues.append(Cue(span, scope, kind))
        cue_tokens = {i for c in context.cues for i in range(c.span.start, c.span.end)}
        for span in _references(doc, taken | cue_tokens):
            context.mentions.append(Mention(span, "reference"))
        context.mentions.sort(key=lambda m: m.span.start)
        context.main, context.main_candidates = self.main_council(doc, context)
        for mention in context.mentions:
            if mention.strength == "reference" and context.main is not None:
                mention.council = context.main.council
        return context

    def resolve(self, forms: list[NameForm], on: date | None, strength: str
                ) -> tuple[Council | None, tuple[Council, ...], tuple[str, ...]]:
        """Pick the council a name form means on the publication day."""
        councils = list({f.code: self.register.councils[f.code] for f in forms}.values())
        alive = [c for c in councils if c.alive_on(on)]
        if len(alive) == 1:
            # undated article and the name meant another council before (North Yorkshire council)
            flags = ("ambiguous_council",) if on is None and len(councils) > 1 else ()
            return alive[0], tuple(councils) if flags else (), flags
        if len(alive) > 1:
            # the upper tier stands for a shared place name ("Norfolk" is the county, not a district)
            upper = [c for c in alive if c.kind != "district"]
            if len(upper) == 1:
                return upper[0], (), ()
            return None, tuple(alive), ("ambiguous_council",)
        if strength == "name" and len(councils) == 1:
            return councils[0], (), ("council_abolished",) if on is not None else ()
        successors = list({s.code: s for c in councils for s in self.register.successors(c, on)}.values())
        if len(successors) == 1:
            return successors[0], (), ()
        if successors:
            return None, tuple(successors), ("ambiguous_council",)
        # not alive on the day and no successor known: the latest council of that name
        latest = max(councils, key=lambda c: c.end or date.max)
        return latest, (), ("council_not_alive",)

    def main_council(self, doc: Doc, context: _Context) -> tuple[Mention | None, tuple[Council, ...]]:
        """The council the article is about: names beat places; the headline counts triple, the lede double."""
        headline, lede = _headline_and_lede(doc, context.paragraphs)
        scores: dict[str, float] = {}
        first: dict[str, Mention] = {}
        qualified: set[str] = set()
        has_reference = any(m.strength == "reference" for m in context.mentions)
        for mention in context.mentions:
            if mention.strength == "reference":
                continue
            keys = [mention.council.code] if mention.council else ["|".join(c.code for c in mention.candidates)]
            start = mention.span.start_char
            prominent = _within(start, headline) or _within(start, lede)
            weight = 3.0 if _within(start, headline) else 2.0 if prominent else 1.0
            for key in keys:
                first.setdefault(key, mention)
                scores[key] = scores.get(key, 0.0) + (3.0 if mention.strength == "name" else 1.0) * weight
                # a bare place deep in the body ("In Norfolk, for example") does not make the article about it,
                # nor does a place in the headline of an article that never speaks of "the council"
                if mention.strength == "name" or (prominent and has_reference):
                    qualified.add(key)
        ranked = sorted((k for k in scores if k in qualified), key=lambda k: (-scores[k], first[k].span.start))
        if not ranked:
            return None, ()
        best = first[ranked[0]]
        if len(ranked) > 1 and scores[ranked[1]] == scores[ranked[0]]:
            tied = tuple(c for k in ranked if scores[k] == scores[ranked[0]] for c in _councils_of(first[k]))
            return None, tied
        if best.council is None:
            return None, best.candidates
        return best, ()

    # ----- write -----
    def set_annotations(self, doc: Doc, context: _Context) -> None:
        group = []
        for mention in context.mentions:
            span = mention.span
            span._.council = mention.council
            span._.council_candidates = mention.candidates
            if mention.strength == "reference":
                span = Span(doc, span.start, span.end, label="COUNCIL_REFERENCE")
                span._.council = mention.council
                span._.council_candidates = mention.candidates
            group.append(span)
        doc.spans["councils"] = group
        doc._.main_council = context.main.council if context.main else None
        numbers = list(doc.spans["numbers"]) if "numbers" in doc.spans else []
        links = [self.link(doc, number, context) for number in numbers]
        # both ends of a range or change belong to the same council: keep the surer link for both
        by_change: dict[str, CouncilLink] = {}
        for number, link in zip(numbers, links):
            if number._.change_id:
                held = by_change.get(number._.change_id)
                if held is None or link.confidence > held.confidence:
                    by_change[number._.change_id] = link
        for number, link in zip(numbers, links):
            number._.council_link = by_change.get(number._.change_id, link) if number._.change_id else link

    def link(self, doc: Doc, number: Span, context: _Context) -> CouncilLink:
        """Sentence, then paragraph, then article; national and other-body cues stop the climb."""
        sent = number.sent
        start, end = _paragraph_of(number.start_char, context.paragraphs)
        # a sentence never runs across a blank line (the statistical senter sometimes does)
        s_start, s_end = max(sent.start_char, start), min(sent.end_char, end)
        in_sentence = [m for m in context.mentions if _inside(m.span, s_start, s_end) and _usable(m)]
        cues = [c for c in context.cues if _inside(c.span, s_start, s_end)]
        national = [c for c in cues if c.scope == "national"]
        if national:
            cue_distance = min(_distance(number, c.span) for c in national)
            if not in_sentence or cue_distance <= min(_distance(number, m.span) for m in in_sentence):
                return CouncilLink(None, "national", "sentence", CONFIDENCE[("national", "sentence", None)])
        if in_sentence:
            return self._council_link(number, in_sentence, "sentence", context)
        if any(c.scope == "other" for c in cues):
            return CouncilLink(None, "other", "sentence", CONFIDENCE[("other", "sentence", None)])
        main_code = context.main.council.code if context.main and context.main.council else None
        # beyond the sentence a bare place is only evidence when it is the article's own council
        in_paragraph = [m for m in context.mentions if start <= m.span.start_char < end and _usable(m)
                        and (m.strength != "place" or (m.council is not None and m.council.code == main_code))]
        if in_paragraph:
            return self._council_link(number, in_paragraph, "paragraph", context)
        # beyond the sentence only place-wide cues count: "the government" nearby does not make a figure national
        if any(c.scope == "national" and c.kind != "national_body" and start <= c.span.start_char < end
               for c in context.cues):
            return CouncilLink(None, "national", "paragraph", CONFIDENCE[("national", "paragraph", None)])
        if context.main is not None:
            main = context.main
            confidence = CONFIDENCE[("council", "article", "name" if main.strength == "name" else "place")]
            flags = main.flags
            if "ambiguous_council" in flags:
                confidence *= AMBIGUITY_PENALTY
            return CouncilLink(main.council, "council", "article", confidence, flags, main.candidates)
        if context.main_candidates:
            return CouncilLink(None, "council", "article",
                               CONFIDENCE[("council", "article", "place")] * AMBIGUITY_PENALTY,
                               ("ambiguous_council",), context.main_candidates)
        return CouncilLink(None, "unknown", "none", 0.0, ("no_council",))

    def _council_link(self, number: Span, mentions: list[Mention], basis: str, context: _Context) -> CouncilLink:
        councils: dict[str, Council] = {}
        for mention in mentions:
            for council in _councils_of(mention):
                councils.setdefault(council.code, council)
        nearest = min(mentions, key=lambda m: (_distance(number, m.span), m.span.start > number.start))
        if basis == "paragraph" and context.main is not None and context.main.council is not None \
                and context.main.council.code in councils:
            # a paragraph that names the article's council and another one is still about the former
            nearest = next(m for m in mentions if m.council and m.council.code == context.main.council.code)
            councils = {nearest.council.code: nearest.council}
        kind = nearest.strength if basis == "sentence" else None
        confidence = CONFIDENCE[("council", basis, kind)]
        flags = list(nearest.flags)
        candidates = nearest.candidates
        if len(councils) > 1:
            flags.append("ambiguous_council")
            candidates = tuple(councils.values())
        if "ambiguous_council" in flags:
            confidence *= AMBIGUITY_PENALTY
        return CouncilLink(nearest.council, "council", basis, round(confidence, 3),
                           tuple(dict.fromkeys(flags)), candidates)


# ----- helpers -----
def _publication_day(doc: Doc) -> date | None:
    publication = doc._.publication
    if publication is None:
        return None
    return publication.date or publication.latest or publication.earliest


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def _paragraph_of(char: int, paragraphs: list[tuple[int, int]]) -> tuple[int, int]:
    index = bisect.bisect_right([s for s, _ in paragraphs], char) - 1
    return paragraphs[max(index, 0)] if paragraphs else (0, 0)


def _headline_and_lede(doc: Doc, paragraphs: list[tuple[int, int]]) -> tuple[tuple[int, int], tuple[int, int]]:
    """Char ranges of the headline and of the first two body paragraphs."""
    segments = doc._.segments or []
    headlines = [s for s in segments if s.section == "headline"]
    body = [s for s in segments if s.section in ("body", "standfirst")]
    if headlines:
        headline = (headlines[0].start, headlines[0].end)
    else:
        headline = paragraphs[0] if paragraphs else (0, 0)
    after = [p for p in paragraphs if p[0] >= headline[1]]
    if body:
        after = [p for p in after if any(s.start <= p[0] < s.end for s in body)]
    lede = (after[0][0], after[min(1, len(after) - 1)][1]) if after else (0, 0)
    return headline, lede


def _within(char: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= char < bounds[1]


def _inside(span: Span, start_char: int, end_char: int) -> bool:
    return start_char <= span.start_char and span.end_char <= end_char


def _distance(a: Span, b: Span) -> int:
    if a.start < b.end and b.start < a.end:
        return 0
    return b.start - a.end if b.start >= a.end else a.start - b.end


def _usable(mention: Mention) -> bool:
    return mention.council is not None or bool(mention.candidates)


def _councils_of(mention: Mention) -> tuple[Council, ...]:
    return (mention.council,) if mention.council else mention.candidates


def _capitalised(span: Span) -> bool:
    """A council name is written with a capital: its first word that is not "the"/"of" starts upper-case."""
    for token in span:
        if token.is_alpha and token.lower_ not in ("the", "of"):
            return token.text[:1].isupper()
    return True


def _plausible_place(span: Span) -> bool:
    """A bare place name stands for its council only if it reads as a place in running text:
    capitalised, not part of a longer proper name ("Leeds United", "Abraham Lincoln", "New York"),
    not inside a person or organisation entity, not "Oxford Town Council"."""
    doc = span.doc
    if not all(t.text[:1].isupper() for t in span if t.is_alpha and t.lower_ not in ("and", "of", "upon", "on", "in", "the", "with", "under", "le")):
        return False
    if span.start > 0:
        before = doc[span.start - 1]
        if before.text[:1].isupper() and before.is_alpha and not before.is_stop and not span[0].is_sent_start:
            return False
    if span.end < len(doc):
        after = doc[span.end]
        if after.lower_ in _NOT_PRINCIPAL:
            return False
        if after.is_alpha and after.text[:1].isupper() and after.lower_ not in _COUNCIL_WORDS \
                and not after.is_sent_start and not after.is_stop:
            return False
    for ent in doc.ents:
        if ent.label_ in ("PERSON", "ORG", "FAC", "WORK_OF_ART", "EVENT", "PRODUCT", "NORP") \
                and ent.start <= span.start and span.end <= ent.end and (ent.start, ent.end) != (span.start, span.end):
            return False
    return True


def _references(doc: Doc, taken: set[int]) -> list[Span]:
    """"the council", "the county council", "the authority", "the East Anglian council": the article's council."""
    found: list[Span] = []
    for token in doc:
        if token.lower_ not in _REFERENCE_HEADS or token.i in taken or token.i == 0:
            continue
        # "the Arts Council" is a name; only a lower-case head after capitalised modifiers is a reference
        start = token.i - 1
        modifiers = 0
        while start >= 0 and modifiers < 3 and doc[start].lower_ not in ("the", "its", "our") \
                and start not in taken and (doc[start].lower_ in _REFERENCE_MODIFIERS or doc[start].text[:1].isupper()) \
                and doc[start].is_alpha:
            start -= 1
            modifiers += 1
        if start < 0 or doc[start].lower_ not in ("the",):
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].lower_ in _NOT_REFERENCE_AFTER:
            continue
        proper = [t for t in doc[start + 1: token.i] if t.lower_ not in _REFERENCE_MODIFIERS]
        if proper and token.text[:1].isupper():
            continue
        found.append(Span(doc, start, token.i + 1, label="COUNCIL_REFERENCE"))
    return found


def bench_linker(texts: list[str], nlp: Language | None = None) -> dict[str, float]:
    """Time the linker alone on `texts` (blank English + sentencizer): docs per second and mentions found."""
    import spacy

    if nlp is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    from pipeline import extensions  # noqa: F401

    started = time.perf_counter()
    linker = CouncilLinker(nlp, load_register(), national_cues=read_phrases(MODELS_DIR / "national_cues.csv", "phrase"),
                           other_bodies=read_phrases(MODELS_DIR / "other_bodies.csv", "name"))
    built = time.perf_counter() - started
    docs = list(nlp.pipe(texts))
    started = time.perf_counter()
    mentions = 0
    for doc in docs:
        linker(doc)
        mentions += len(doc.spans["councils"])
    elapsed = time.perf_counter() - started
    return {"docs": len(docs), "seconds": elapsed, "docs_per_second": len(docs) / elapsed if elapsed else 0.0,
            "build_seconds": built, "mentions": mentions}
