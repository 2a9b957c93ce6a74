"""Find council mentions, classify them, and link every number to a council, its area, or neither.
Reads token.is_sent_start, doc.ents, doc._.segments, doc._.article (title), doc._.publication and
doc.spans["numbers"] (span._.amount, span._.change_id); writes doc.spans["councils"] (span._.council,
span._.council_candidates, span._.mention_kind), doc._.main_council and span._.council_link.

Entities are read only in: the sentence of each number, the sentence of each register match, the
headline and lede, and the sentence before a number's sentence that opens with a pronoun ("It said ...":
who is "it"?). `entity_sentences` lists them, for a pipeline that runs `ner` only where it is needed."""
from __future__ import annotations

import bisect
import csv
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.records import Council, CouncilLink
from pipeline.councils.mentions import (DEFAULT_CONTEXT, ContextWords, EntityIndex, classify_name, classify_place,
                                        read_context)
from pipeline.councils.register import CouncilRegister, NameForm, load_register
from pipeline.extensions import doc_text
from pipeline.io.structure import paragraph_of, paragraphs
from pipeline.resources import MODELS_DIR


# Confidence per rule; reviewers read `basis`, these only order the rows.
CONFIDENCE = {
    ("council", "sentence", "council_name"): 0.95,
    ("council", "sentence", "place"): 0.85,
    ("council", "sentence", "town"): 0.8,
    ("council", "sentence", "reference"): 0.85,
    ("council", "paragraph", None): 0.7,
    ("council", "article", "council_name"): 0.6,
    ("council", "article", "place"): 0.5,
    ("area", "sentence", None): 0.7,
    ("national", "sentence", None): 0.8,
    ("national", "paragraph", None): 0.6,
    ("other", "sentence", None): 0.7,
}
AMBIGUITY_PENALTY = 0.6
# The lede: the first two body paragraphs, at most this many sentences (XSum texts are one paragraph).
LEDE_SENTENCES = 4
# Entities that make a figure's sentence about another actor (a company, a person, a venue, an event).
ACTOR_ENTITIES = frozenset({"ORG", "PERSON", "FAC", "EVENT"})
# Entities that name another place: the paragraph and article rules do not carry a council onto them.
PLACE_ENTITIES = frozenset({"GPE", "LOC"})
# An area link needs the place within this many tokens of the number ("unemployment in Hartlepool rose to 8%").
AREA_MAX_DISTANCE = 10
# Kinds of other-body cue that take a figure from a council named further away ("six people died when
# the council's lorry ...", "fined £500 by magistrates after the council prosecuted").
NEARER_CUE_KINDS = frozenset({"incident", "court", "company", "campaign", "organiser"})
# Words this close to a council-linked figure make it a figure about the area ("population").
AREA_WORD_REACH = 6
# "the council" is the council named at most this many sentences before it, if any (else the article's).
REFERENCE_REACH = 2
# The paragraph rule reads council mentions at most this many sentences (before, after) the figure's.
PARAGRAPH_REACH = (2, 1)
# What a figure gets when nothing links it (one frozen value: every figure of a doc naming no body shares it).
_NO_COUNCIL = CouncilLink(None, "unknown", "none", 0.0, ("no_council",))

# Words after "the" that make "the ... council" a reference to the article's council.
_REFERENCE_HEADS = {"council", "authority"}
_REFERENCE_MODIFIERS = {"county", "city", "borough", "district", "local", "unitary", "metropolitan", "county borough"}
_STOP = re.compile(r"\.(?= +[A-Z])")
_COUNCIL_CONTEXT = re.compile(r"\b(council|councils|councillors?|local authorit(y|ies)|the authority)\b", re.I)


def _council_talk(text: str) -> bool:
    """Whether the article speaks of councils (_COUNCIL_CONTEXT). Most news never has "counc" or
    "autho" in it: a look for those in the lower-cased text spares the case-blind regex over it
    (neither holds a letter that re.IGNORECASE matches beyond its own two cases, as it does "i")."""
    lower = text.lower()
    return ("counc" in lower or "autho" in lower) and bool(_COUNCIL_CONTEXT.search(text))
# "the council tax", "the council estate": the word describes something else, not the council itself.
_PRONOUNS = {"it", "he", "she", "they"}
# Context kinds looked for across the whole doc (the others are read from a match's neighbours).
_DOC_WIDE_CONTEXT = ("council_word", "party", "constituency")
_CLAUSE_BREAKS = {"-", "–", "—", ";", "while", "whereas"}
_NOT_REFERENCE_AFTER = {"tax", "taxes", "taxpayers", "house", "houses", "housing", "homes", "home", "estate",
                        "estates", "flat", "flats", "tenants", "tenancy"}


@Language.factory(
    "council_linker",
    requires=["token.is_sent_start", "doc.ents", "doc._.segments", "doc._.article", "doc._.publication",
              "span._.amount", "span._.change_id"],
    assigns=["doc.spans", "doc._.main_council", "span._.council_link", "span._.council", "span._.council_candidates",
             "span._.mention_kind"],
    default_config={
        "register": str(MODELS_DIR / "councils.csv"),
        "aliases": str(MODELS_DIR / "council_aliases.csv"),
        "names": str(MODELS_DIR / "council_names_mysociety.csv"),
        "national_cues": str(MODELS_DIR / "national_cues.csv"),
        "other_bodies": str(MODELS_DIR / "other_bodies.csv"),
        "regional_bodies": str(MODELS_DIR / "regional_bodies.csv"),
        "context": str(DEFAULT_CONTEXT),
    },
)
def make_council_linker(nlp: Language, name: str, register: str, aliases: str, names: str, national_cues: str,
                        other_bodies: str, regional_bodies: str, context: str) -> "CouncilLinker":
    return CouncilLinker(nlp, load_register(Path(register), (Path(aliases), Path(names))),
                         national_cues=read_phrases(Path(national_cues), "phrase"),
                         other_bodies=read_bodies(Path(other_bodies), Path(regional_bodies)),
                         context=read_context(Path(context)))


_FORM_MATCHERS: list[tuple[object, frozenset[str], PhraseMatcher]] = []  # (vocab, forms, matcher), latest last
_FORM_MATCHERS_KEPT = 4


def form_matcher(nlp: Language, register: CouncilRegister) -> PhraseMatcher:
    """A PhraseMatcher of every name form in the register: one key per lower-cased text (the register
    knows which councils and strengths it names); patterns keep their case because tokenizer
    exceptions are case-sensitive ("St." vs "st."). The last few built are kept by vocab and set of
    forms, so entity_gate and the linker of one pipeline share one (building it is a second of a
    pipeline's load, in every worker process)."""
    forms = frozenset(form.text for form in register.forms)
    for vocab, known, matcher in _FORM_MATCHERS:
        if vocab is nlp.vocab and known == forms:
            return matcher
    patterns: dict[str, set[str]] = {}
    for text in forms:
        patterns.setdefault(text.lower(), set()).add(text)
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for lower in sorted(patterns):
        matcher.add(lower, list(nlp.tokenizer.pipe(sorted(patterns[lower]))))
    _FORM_MATCHERS.append((nlp.vocab, forms, matcher))
    del _FORM_MATCHERS[:-_FORM_MATCHERS_KEPT]
    return matcher


def read_phrases(path: Path, column: str) -> list[tuple[str, str]]:
    """(phrase, kind) rows of a cue list such as models/national_cues.csv."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [(row[column].strip(), row["kind"].strip()) for row in csv.DictReader(handle) if row[column].strip()]


def read_bodies(path: Path, regional_path: Path | None = None) -> list[tuple[str, str, str]]:
    """(name, kind, code) of bodies that are not councils: models/other_bodies.csv (hand-written, `code`
    optional) and models/regional_bodies.csv (combined authorities and the GLA, from mySociety's register)."""
    bodies: list[tuple[str, str, str]] = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["name"].strip():
                bodies.append((row["name"].strip(), row["kind"].strip(), (row.get("code") or "").strip()))
    if regional_path is not None and Path(regional_path).exists():
        with open(regional_path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for name in [row["name"], *row["names"].split(";")]:
                    if name.strip():
                        bodies.append((name.strip(), row["kind"], row["code"]))
    return bodies


@dataclass
class Mention:
    """One register match or "the council" reference, with what it turned out to be (`kind`)."""

    span: Span
    kind: str  # council_name | place | town | reference, or why it is not a council: title, home, ...
    council: Council | None = None
    candidates: tuple[Council, ...] = ()
    flags: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return self.kind in ("council_name", "place", "town", "reference") and \
            (self.council is not None or bool(self.candidates))


@dataclass
class Cue:
    span: Span
    scope: str  # national | other
    kind: str
    code: str = ""  # a regional body's GSS code (E47..., E61000001)


@dataclass
class _Context:
    """What the linker finds in one doc. Entities are read only when a rule needs them (most docs name no
    council and never do)."""
    mentions: list[Mention] = field(default_factory=list)
    rejected: list[Mention] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    words: dict[str, list[int]] = field(default_factory=dict)  # context kind -> sorted token starts
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    main: Mention | None = None
    main_candidates: tuple[Council, ...] = ()
    doc: Doc | None = None
    _entities: EntityIndex | None = None
    council_talk: bool = False
    sentence_starts: list[int] = field(default_factory=list)  # token index of each sentence start
    token_starts: list[int] = field(default_factory=list)  # char offset of each token
    token_ends: list[int] = field(default_factory=list)  # char offset after each token
    stops: list[int] = field(default_factory=list)  # tokens ending a sentence the senter may have missed
    sentences: dict[tuple[int, int], tuple] = field(default_factory=dict)  # CouncilLinker._sentence's

    def entities(self) -> EntityIndex:
        if self._entities is None:
            assert self.doc is not None
            self._entities = EntityIndex(self.doc)
        return self._entities


class CouncilLinker:
    """Match council names with one PhraseMatcher, classify and date them, and link each number."""

    def __init__(self, nlp: Language, register: CouncilRegister, *,
                 national_cues: Iterable[tuple[str, str]] = (),
                 other_bodies: Iterable[tuple[str, str] | tuple[str, str, str]] = (),
                 context: ContextWords | None = None) -> None:
        self.register = register
        self.tokenizer = nlp.tokenizer
        self.context = context if context is not None else read_context()
        self.matcher = form_matcher(nlp, register)
        self.cue_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.cue_kinds: dict[str, tuple[str, str, str]] = {}
        bodies = [(b[0], b[1], b[2] if len(b) > 2 else "") for b in other_bodies]
        for scope, phrases in (("national", [(p, k, "") for p, k in national_cues]), ("other", bodies)):
            for phrase, kind, code in phrases:
                key = f"{scope}|{phrase.lower()}"
                if scope == "national" and kind == "region":
                    key, scope = f"other|{phrase.lower()}", "other"
                self.cue_kinds[key] = (scope, kind, code)
                self.cue_matcher.add(key, [nlp.make_doc(phrase)])
        # context words and phrases the linker looks for across the whole doc ("council tax", parties), and
        # the heads of "the council" references: one matcher pass instead of a Python loop over tokens
        # (in the cue matcher too: one pass over the doc for both; their keys say which is which)
        self.context_keys: dict[int, str] = {}
        for kind in _DOC_WIDE_CONTEXT:
            words = sorted(self.context.words.get(kind, ())) + list(self.context.phrases.get(kind, ()))
            if words:
                self.cue_matcher.add(f"context|{kind}", [nlp.make_doc(w) for w in words])
        self.cue_matcher.add("context|reference_head", [nlp.make_doc(w) for w in sorted(_REFERENCE_HEADS)])
        for kind in (*_DOC_WIDE_CONTEXT, "reference_head"):
            self.context_keys[nlp.vocab.strings.add(f"context|{kind}")] = kind
        # a title can name a council only with a council word in it ("Leeds council", "Borough of X")
        title_words = sorted(self.context.words.get("council_word", ()) | {"borough", "councillors", "corporation"})
        self.title_cue = re.compile(r"\b(" + "|".join(map(re.escape, title_words)) + r")\b", re.I)

    def __call__(self, doc: Doc) -> Doc:
        context = self.match(doc)
        self.set_annotations(doc, context)
        return doc

    # ----- find -----
    def match(self, doc: Doc) -> _Context:
        text = doc_text(doc)
        context = _Context(paragraphs=paragraphs(text), doc=doc)
        context.council_talk = _council_talk(text)
        if doc.has_annotation("SENT_START"):
            context.sentence_starts = numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist()
        offsets = doc.to_array([IDX, LENGTH])
        context.token_starts = offsets[:, 0].tolist()
        context.token_ends = (offsets[:, 0] + offsets[:, 1]).tolist()
        context.stops = _missed_stops(doc, text, context.token_starts)
        cue_hits = self.cue_matcher(doc)
        context.words = self._context_words(cue_hits)
        on = _publication_day(doc)
        spans = [Span(doc, start, end, label=doc.vocab.strings[key]) for key, start, end in self.matcher(doc)]
        for span in filter_spans(spans):
            mention = self.classify(span, context, on)
            (context.mentions if mention.usable else context.rejected).append(mention)
        taken = {i for m in context.mentions + context.rejected for i in range(m.span.start, m.span.end)}
        cue_spans = [Span(doc, s, e, label=doc.vocab.strings[key]) for key, s, e in cue_hits
                     if key not in self.context_keys]
        for span in filter_spans(cue_spans):
            scope, kind, code = self.cue_kinds[span.label_]
            if kind == "ignore" or any(i in taken for i in range(span.start, span.end)):
                continue
            context.cues.append(Cue(span, scope, kind, code))
        cue_tokens = {i for c in context.cues for i in range(c.span.start, c.span.end)}
        for span in _references(doc, taken | cue_tokens, context.words.get("reference_head", ())):
            context.mentions.append(Mention(span, "reference"))
        context.mentions.sort(key=lambda m: m.span.start)
        context.main, context.main_candidates = self.main_council(doc, context, on)
        # "the council" is the article's council; in an article that is not about one council, it is still
        # the only council the article names, if it names exactly one
        named = {m.council.code: m.council for m in context.mentions if m.kind == "council_name" and m.council}
        referent = context.main.council if context.main is not None else \
            next(iter(named.values())) if len(named) == 1 and not context.main_candidates else None
        # ... unless another council was named just before: "Flintshire has recycled more ... the council
        # earned £537,000" in an article led by Pembrokeshire
        recent: Mention | None = None
        for mention in context.mentions:
            if mention.kind == "reference":
                near = recent is not None and _sentence_index(context, mention.span.start) - \
                    _sentence_index(context, recent.span.start) <= REFERENCE_REACH
                mention.council = recent.council if near and recent is not None else referent
            elif mention.council is not None and (mention.kind == "council_name" or _opens_sentence(context, mention)):
                recent = mention  # a council's name, or a place as the subject ("Flintshire has ...")
        context.mentions = [m for m in context.mentions if m.kind != "reference" or m.council is not None]
        return context

    def classify(self, span: Span, context: _Context, on: date | None) -> Mention:
        """What a register match is: a council's name, its area, a town, or one of the reasons it is neither."""
        strength, forms = self._forms(span)
        if strength == "name":
            kind = classify_name(span, context.entities())
        else:
            kind = classify_place(span, self.context, context.entities(), _sentence_of(span))
            if kind == "place" and strength == "town":
                kind = "town"
        council, candidates, flags = self.resolve(forms, on, strength)
        return Mention(Span(doc=span.doc, start=span.start, end=span.end, label="COUNCIL"), kind, council, candidates,
                       flags)

    def _forms(self, span: Span) -> tuple[str, list[NameForm]]:
        """The strongest reading of a match (name, else town, else place) and its name forms."""
        forms = self.register.forms_for(span.label_)
        strengths = {f.strength for f in forms}
        strength = "name" if "name" in strengths else "town" if "town" in strengths else "place"
        return strength, [f for f in forms if f.strength == strength]

    def _context_words(self, hits: list[tuple[int, int, int]]) -> dict[str, list[int]]:
        """Sorted token positions of council words, parties, vote words and reference heads, from the cue
        matcher's hits."""
        found: dict[str, list[int]] = {}
        for key, start, _end in hits:
            kind = self.context_keys.get(key)
            if kind is not None:
                found.setdefault(kind, []).append(start)
        for positions in found.values():
            positions.sort()
        return found

    def resolve(self, forms: list[NameForm], on: date | None, strength: str
                ) -> tuple[Council | None, tuple[Council, ...], tuple[str, ...]]:
        """Pick the council a name form means on the publication day.

        With no publication date a form links only when every council it could ever mean is one
        (renamed councils keep their code, so "Shepway" is still E07000112); "Belfast" before and after
        2015, or "Northamptonshire" and its two successors, are ambiguous and get no code."""
        councils = list({f.code: self.register.councils[f.code] for f in forms}.values())
        if on is None:
            possible = dict.fromkeys(c.code for c in councils)
            if strength != "name":  # a place outlives its council: it may mean the successors too
                for council in councils:
                    if council.end is not None:
                        possible.update(dict.fromkeys(s.code for s in self.register.successors(council, None)))
            candidates = [self.register.councils[code] for code in possible]
            if len(candidates) == 1:
                return candidates[0], (), ()
            upper = [c for c in candidates if c.kind != "district" and c.end is None]
            # "Norfolk" is the county, not a district of the same name, whatever the date
            if len(upper) == 1 and all(c.end is None for c in candidates):
                return upper[0], (), ()
            return None, tuple(candidates), ("ambiguous_council",)
        alive = [c for c in councils if c.alive_on(on)]
        if len(alive) == 1:
            return alive[0], (), ()
        if len(alive) > 1:
            # the upper tier stands for a shared place name ("Norfolk" is the county, not a district)
            upper = [c for c in alive if c.kind != "district"]
            if len(upper) == 1:
                return upper[0], (), ()
            return None, tuple(alive), ("ambiguous_council",)
        if strength == "name" and len(councils) == 1:
            return councils[0], (), ("council_abolished",)
        successors = list({s.code: s for c in councils for s in self.register.successors(c, on)}.values())
        if len(successors) == 1:
            return successors[0], (), ()
        if successors:
            return None, tuple(successors), ("ambiguous_council",)
        # not alive on the day and no successor known: the latest council of that name
        latest = max(councils, key=lambda c: c.end or date.max)
        return latest, (), ("council_not_alive",)

    def main_council(self, doc: Doc, context: _Context, on: date | None) -> tuple[Mention | None, tuple[Council, ...]]:
        """The council a local-government article is about, or none.

        Only a council named with council words near it in the headline or lede qualifies ("Norfolk
        councillors", "Gloucestershire council", "Hartlepool ... the council's budget"): a council named once
        near the end does not make the article about it. Among those, names beat places, and the headline
        counts triple and the lede double."""
        headline, lede = _headline_and_lede(doc, context.paragraphs, context.sentence_starts or None,
                                            context.token_starts or None)
        first_paragraph = paragraph_of(lede[0], context.paragraphs)
        scores: dict[str, float] = {}
        first: dict[str, Mention] = {}
        qualified: set[str] = set()
        for mention in self.title_mentions(doc, on):
            key = _key(mention)
            first.setdefault(key, mention)
            scores[key] = scores.get(key, 0.0) + (9.0 if mention.kind == "council_name" else 3.0)
            qualified.add(key)
        # "the council" in the headline or lede makes the article about one council: a place there names it
        prominent_reference = any(m.kind == "reference" and (_within(m.span.start_char, headline)
                                                              or _within(m.span.start_char, lede))
                                  for m in context.mentions)
        for mention in context.mentions:
            if mention.kind == "reference":
                continue
            key = _key(mention)
            start = mention.span.start_char
            # the headline triple, the lede's first paragraph 2.5, the rest of the lede double
            weight = 3.0 if _within(start, headline) else \
                (2.5 if _within(start, first_paragraph) else 2.0) if _within(start, lede) else 1.0
            first.setdefault(key, mention)
            scores[key] = scores.get(key, 0.0) + (3.0 if mention.kind == "council_name" else 1.0) * weight
            if weight > 1.0 and (mention.kind == "council_name" or prominent_reference
                                 or self._council_words_near(mention, context)):
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

    def title_mentions(self, doc: Doc, on: date | None) -> list[Mention]:
        """Council mentions in the metadata title when the text does not repeat it (the BBC corpus):
        names, and places with council words in the title ("Leeds council tax to rise")."""
        article = doc._.article
        segments = doc._.segments or []
        if article is None or not article.title or any(s.section == "headline" for s in segments) \
                or not self.title_cue.search(article.title):
            return []
        title = self.tokenizer(article.title)
        title_words = any(t.lower_ in self.context.words.get("council_word", ()) for t in title)
        found = []
        for span in filter_spans([Span(title, s, e, label=key) for key, s, e in self.matcher(title)]):
            strength, forms = self._forms(span)
            kind = classify_name(span) if strength == "name" else "place" if title_words and _capitalised_words(span) else ""
            if kind not in ("council_name", "place"):
                continue
            council, candidates, flags = self.resolve(forms, on, strength)
            if council is not None or candidates:
                found.append(Mention(span, kind, council, candidates, flags))
        return found

    def _council_words_near(self, mention: Mention, context: _Context) -> bool:
        """Council words in the mention's sentence (the headline/lede test for a bare place)."""
        start, end = _clipped_sentence(mention.span, context)
        return self._council_words((start, end), context) or \
            any(m.kind in ("reference", "council_name") and start <= m.span.start < end for m in context.mentions)

    # ----- write -----
    def set_annotations(self, doc: Doc, context: _Context) -> None:
        group = []
        for mention in sorted(context.mentions + context.rejected, key=lambda m: m.span.start):
            label = "COUNCIL_REFERENCE" if mention.kind == "reference" else \
                "COUNCIL" if mention.usable else "NOT_COUNCIL"
            span = Span(doc, mention.span.start, mention.span.end, label=label)
            span._.council = mention.council if mention.usable else None
            span._.council_candidates = mention.candidates if mention.usable else ()
            span._.mention_kind = mention.kind
            group.append(span)
        doc.spans["councils"] = group
        doc._.main_council = context.main.council if context.main else None
        numbers = list(doc.spans["numbers"]) if "numbers" in doc.spans else []
        extensions = [number._ for number in numbers]  # each span._ costs a few µs: once per number
        if not context.mentions and not context.cues and context.main is None and not context.main_candidates:
            # nothing in the doc names a council, a national or another body: what link() gives every figure
            for extension in extensions:
                extension.council_link = _NO_COUNCIL
            return
        links = [self.link(doc, number, context, extension.amount) for number, extension in zip(numbers, extensions)]
        # both ends of a range or change belong to the same council: keep the surer link for both
        changes = [extension.change_id for extension in extensions]
        by_change: dict[str, CouncilLink] = {}
        for change, link in zip(changes, links):
            if change:
                held = by_change.get(change)
                if held is None or link.confidence > held.confidence:
                    by_change[change] = link
        for extension, change, link in zip(extensions, changes, links):
            extension.council_link = by_change.get(change, link) if change else link

    def link(self, doc: Doc, number: Span, context: _Context, amount: object = ...) -> CouncilLink:
        """The figure's own sentence first: a council named there, else a council area named there with no
        other actor, else a national/other cue. Only in a local-government article, and only when the
        sentence has no other actor, does the council of the paragraph, then of the article, carry over.
        (`amount`: the number's span._.amount, when the caller has read it.)"""
        if amount is ...:
            amount = number._.amount
        start, end = paragraph_of(number.start_char, context.paragraphs)
        # the sentence, clipped to its paragraph and at full stops the senter missed
        tokens = _clipped_sentence(number, context, (start, end))
        s_start, s_end, in_sentence, cues, national = self._sentence(tokens, context)
        if national:
            cue_distance = min(_distance(number, c.span) for c in national)
            if not in_sentence or cue_distance <= min(_distance(number, m.span) for m in in_sentence):
                return CouncilLink(None, "national", "sentence", CONFIDENCE[("national", "sentence", None)])
        source = self._named_source(number, cues)
        if source is not None:
            # "£92,000 from Creative Scotland": the body named right after the figure gave it
            return CouncilLink(None, source.scope, "sentence", CONFIDENCE[(source.scope, "sentence", None)],
                               other_body=source.code or None, mention_kind=source.kind)
        council_words = self._council_words(tokens, context)
        names = [m for m in in_sentence if m.kind in ("council_name", "reference")]
        if names or (council_words and in_sentence):
            nearest = min(_distance(number, m.span) for m in in_sentence)
            # the council as the sentence's subject owns the money in it ("Leeds City Council will spend £2m on
            # the Memorial Baths"); otherwise an actor closer to the figure than the council owns it ("the
            # council believes the plans for Acme could create 700 jobs")
            subject = any(m.span.start <= tokens[0] + 1 for m in in_sentence) and amount is not None \
                and amount.kind == "money"
            actor = None if subject else self._nearer_actor(number, tokens, context, cues, nearest, council_words)
            if isinstance(actor, Cue):  # "three people were injured when a council van crashed"
                return CouncilLink(None, "other", "sentence", CONFIDENCE[("other", "sentence", None)],
                                   other_body=actor.code or None, mention_kind=actor.kind)
            if actor:
                # "18 Acme workers were laid off and the depot went to the council": the figure is Acme's
                return _NO_COUNCIL
            return self._council_link(number, in_sentence, "sentence", context, tokens)
        places = [m for m in in_sentence if m.kind == "place"]
        others = [c for c in cues if c.scope == "other"]
        # an area link needs an article that speaks of councils at all (in sport and business news a bare
        # place is a team, a firm's home or a venue far more often than the subject of a figure), a place
        # close to the number, a count, sum or rate rather than a thing's size ("a 17,000-tonne rig"), and
        # no other actor in the sentence
        near = [m for m in places if _distance(number, m.span) <= AREA_MAX_DISTANCE]
        if near and not others and context.council_talk and (amount is None or amount.kind != "quantity") \
                and not self._other_actor(tokens, context, ACTOR_ENTITIES):
            return self._area_link(number, near, places)
        if others:
            nearest = min(others, key=lambda c: _distance(number, c.span))
            return CouncilLink(None, "other", "sentence", CONFIDENCE[("other", "sentence", None)],
                               other_body=nearest.code or None, mention_kind=nearest.kind)
        # what a figure gets when no council carries over: national when a place-wide cue is in its paragraph
        # ("the government" nearby does not make a figure national), else nothing
        if any(c.scope == "national" and c.kind != "national_body" and start <= c.span.start_char < end
               for c in context.cues):
            fallback = CouncilLink(None, "national", "paragraph", CONFIDENCE[("national", "paragraph", None)])
        else:
            fallback = _NO_COUNCIL
        if in_sentence or (context.main is None and not context.main_candidates):
            # a place with another actor, a man's home town, a seat; or not a local-government article
            return fallback
        if (not council_words and any(_inside(m.span, s_start, s_end) for m in context.rejected)) \
                or self._other_actor(tokens, context, ACTOR_ENTITIES):
            # someone else's figure (unless council words say it is the council's: "the council tax rise was
            # rejected by Leeds residents")
            return fallback
        if _in_quotation(doc_text(doc), start, s_start, number) \
                or self._other_actor(tokens, context, PLACE_ENTITIES) \
                or _any_between(context.words.get("constituency", ()), *tokens):
            # a quoted speaker's figure; a figure about another place; votes
            return fallback
        if doc[tokens[0]].lower_ in _PRONOUNS and self._previous_actor(tokens, context):
            return fallback  # "It added the scheme would create 500 jobs" after a sentence about a developer
        main_code = context.main.council.code if context.main and context.main.council else None
        # beyond the sentence a bare place is only evidence when it is the article's own council, and only
        # in the sentences just before or after (an XSum article is one long paragraph)
        here = _sentence_index(context, number.start)
        in_paragraph = [m for m in context.mentions if start <= m.span.start_char < end
                        and -PARAGRAPH_REACH[0] <= _sentence_index(context, m.span.start) - here <= PARAGRAPH_REACH[1]
                        and (m.kind in ("council_name", "reference")
                             or (m.council is not None and m.council.code == main_code))]
        if in_paragraph:
            return self._council_link(number, in_paragraph, "paragraph", context, tokens)
        if fallback.scope == "national":
            return fallback
        if context.main is not None:
            main = context.main
            confidence = CONFIDENCE[("council", "article", "council_name" if main.kind == "council_name" else "place")]
            flags = main.flags
            if "ambiguous_council" in flags:
                confidence *= AMBIGUITY_PENALTY
            return CouncilLink(main.council, "council", "article", confidence, flags, main.candidates,
                               mention_kind=main.kind)
        return CouncilLink(None, "council", "article", CONFIDENCE[("council", "article", "place")] * AMBIGUITY_PENALTY,
                           ("ambiguous_council",), context.main_candidates)

    @staticmethod
    def _sentence(tokens: tuple[int, int], context: _Context) -> tuple[int, int, list[Mention], list[Cue], list[Cue]]:
        """(start char, end char, mentions, cues, national cues) of a clipped sentence, once per sentence:
        the figures of one sentence share them."""
        held = context.sentences.get(tokens)
        if held is None:
            s_start, s_end = context.token_starts[tokens[0]], context.token_ends[tokens[1] - 1]
            in_sentence = [m for m in context.mentions if _inside(m.span, s_start, s_end)]
            cues = [c for c in context.cues if _inside(c.span, s_start, s_end)]
            held = context.sentences[tokens] = (s_start, s_end, in_sentence, cues,
                                                [c for c in cues if c.scope == "national"])
        return held

    @staticmethod
    def _named_source(number: Span, cues: list[Cue]) -> Cue | None:
        """An other body or a national body right after the figure, after "from", "by" or "of"."""
        doc = number.doc
        for cue in cues:
            if cue.kind == "region" or not number.end < cue.span.start <= number.end + 2:
                continue
            if doc[cue.span.start - 1].lower_ in ("from", "by", "of") or \
                    (cue.span.start >= 2 and doc[cue.span.start - 2].lower_ in ("from", "by", "of")
                     and doc[cue.span.start - 1].lower_ == "the"):
                return cue
        return None

    def _previous_actor(self, tokens: tuple[int, int], context: _Context) -> bool:
        """Does the sentence before this one name an organisation or a person (whom "It"/"He" may be)?"""
        index = _sentence_index(context, tokens[0])
        if index <= 0:
            return False
        previous = (context.sentence_starts[index - 1], context.sentence_starts[index])
        return self._other_actor(previous, context, frozenset({"ORG", "PERSON"}))

    def _council_words(self, tokens: tuple[int, int], context: _Context) -> bool:
        """Council words in the token range, outside other bodies' names ("Cardiff Business Council")."""
        positions = context.words.get("council_word", ())
        i = bisect.bisect_left(positions, tokens[0])
        while i < len(positions) and positions[i] < tokens[1]:
            if not any(c.scope == "other" and c.span.start <= positions[i] < c.span.end for c in context.cues):
                return True
            i += 1
        return False

    def _other_actor(self, tokens: tuple[int, int], context: _Context, labels: frozenset[str]) -> bool:
        """Does the sentence (a token range) name someone else the figure may belong to: a company, a person
        who is not speaking for the council, a venue, an event (ACTOR_ENTITIES), or another place
        (PLACE_ENTITIES)?"""
        return next(self._actors(tokens, context, labels), None) is not None

    def _actors(self, tokens: tuple[int, int], context: _Context, labels: frozenset[str],
                council_words: bool | None = None) -> Iterable[tuple[int, int]]:
        """Entities with these labels in the token range, as (start, end), that are not a council or a judged
        register match, not a party, and not a person beside council words ("Cllr Jane Smith said")."""
        parties = context.words.get("party", ())
        taken = context.mentions + context.rejected
        for ent_start, ent_end, label in context.entities().between(*tokens):
            if label not in labels or any(m.span.start < ent_end and ent_start < m.span.end for m in taken):
                continue
            if label == "PERSON":
                if council_words is None:
                    council_words = self._council_words(tokens, context)
                if council_words:
                    continue
            if label == "ORG" and _any_between(parties, ent_start, ent_end):
                continue
            yield ent_start, ent_end

    def _area_link(self, number: Span, near: list[Mention], places: list[Mention]) -> CouncilLink:
        """The area of the nearest place; a sentence naming several council areas ("in Leeds and Wigan")
        does not say which one a figure is about, so it gets no code and the flag."""
        nearest = min(near, key=lambda m: (_distance(number, m.span), m.span.start > number.start))
        flags = list(nearest.flags)
        council, candidates = nearest.council, nearest.candidates
        councils = {c.code: c for m in places for c in _councils_of(m)}
        if len(councils) > 1:
            flags.append("ambiguous_council")
            council, candidates = None, tuple(councils.values())
        confidence = CONFIDENCE[("area", "sentence", None)]
        if "ambiguous_council" in flags:
            confidence *= AMBIGUITY_PENALTY
        return CouncilLink(council, "area", "sentence", round(confidence, 3), tuple(dict.fromkeys(flags)), candidates,
                           mention_kind=nearest.kind)

    def _nearer_actor(self, number: Span, tokens: tuple[int, int], context: _Context, cues: list[Cue],
                      council_distance: int, council_words: bool) -> Cue | bool:
        """Is another actor closer to the figure than any council mention: an organisation, a person (unless
        the sentence speaks of the council: then a person speaks for it), or an incident ("six people died")?
        (A venue is often what the council spends on: "£700,000 to repair the Memorial Baths".)"""
        for start, end in self._actors(tokens, context, frozenset({"ORG", "PERSON"}), council_words):
            if not start <= number.start < end and _distance(number, Span(number.doc, start, end)) < council_distance:
                return True
        nearer = [c for c in cues if c.kind in NEARER_CUE_KINDS and _distance(number, c.span) < council_distance]
        return min(nearer, key=lambda c: _distance(number, c.span)) if nearer else False

    def _council_link(self, number: Span, mentions: list[Mention], basis: str, context: _Context,
                      tokens: tuple[int, int] | None = None) -> CouncilLink:
        councils: dict[str, Council] = {}
        for mention in mentions:
            for council in _councils_of(mention):
                councils.setdefault(council.code, council)
        # the number's own clause first: "Leeds council cut 8% - while Bradford cut less" is Leeds's 8%
        if tokens is not None and basis == "sentence":
            clause = _clause(number, tokens)
            in_clause = [m for m in mentions if clause[0] <= m.span.start and m.span.end <= clause[1]]
            mentions = in_clause or mentions
        nearest = min(mentions, key=lambda m: (_distance(number, m.span), m.span.start > number.start))
        owner = _parenthesis_owner(number, mentions)
        if owner is not None:
            nearest = owner  # "Glasgow (89.9% of 4,551 pupils)": the place before the bracket
        if basis == "paragraph" and context.main is not None and context.main.council is not None \
                and context.main.council.code in councils:
            # a paragraph that names the article's council and another one is still about the former
            nearest = next(m for m in mentions if m.council and m.council.code == context.main.council.code)
            councils = {nearest.council.code: nearest.council}
        kind = nearest.kind if basis == "sentence" else None
        confidence = CONFIDENCE[("council", basis, kind)]
        flags = list(nearest.flags)
        candidates = nearest.candidates
        if len(councils) > 1:
            flags.append("ambiguous_council")
            candidates = tuple(councils.values())
        if "ambiguous_council" in flags:
            confidence *= AMBIGUITY_PENALTY
        # "the city's population grew by 1%": a figure about the council's area, not the council
        scope = "area" if tokens is not None and self._about_population(number, tokens) else "council"
        return CouncilLink(nearest.council, scope, basis, round(confidence, 3),
                           tuple(dict.fromkeys(flags)), candidates, mention_kind=nearest.kind)

    def _about_population(self, number: Span, tokens: tuple[int, int]) -> bool:
        """"the city's population", "York's population" near the figure (not "the looked-after children
        population", a council service's caseload)."""
        doc = number.doc
        for i in range(max(tokens[0] + 2, number.start - AREA_WORD_REACH), min(tokens[1], number.end + AREA_WORD_REACH)):
            if self.context.has("area_word", doc[i].lower_) and doc[i - 1].text in ("'s", "’s") and \
                    (self.context.has("area_noun", doc[i - 2].lower_) or doc[i - 2].text[:1].isupper()):
                return True
        # "the area lost 73% of its venues": the area as the subject just before the figure
        for i in range(max(tokens[0], number.start - 4), number.start - 1):
            if doc[i].lower_ == "the" and self.context.has("area_noun", doc[i + 1].lower_) and \
                    doc[i + 2].is_alpha and not doc[i + 2].text[:1].isupper() and \
                    doc[i + 2].lower_ not in ("council", "councils", "authority", "'s", "’s"):
                return True
        return False


# ----- helpers -----
def _publication_day(doc: Doc) -> date | None:
    publication = doc._.publication
    if publication is None:
        return None
    return publication.date or publication.latest or publication.earliest


def _sentence_of(span: Span) -> Span:
    doc = span.doc
    if not doc.has_annotation("SENT_START"):
        return doc[:]
    return span.sent


def _clipped_sentence(span: Span, context: _Context, paragraph: tuple[int, int] | None = None) -> tuple[int, int]:
    """Token range of the span's sentence within its paragraph (a sentence never crosses a blank line),
    cut at full stops the senter missed ("... rose to £780m. Islands council said ..."). `paragraph`: the
    span's paragraph (paragraph_of), when the caller has it."""
    doc = span.doc
    if context.sentence_starts:
        index = bisect.bisect_right(context.sentence_starts, span.start) - 1
        start = context.sentence_starts[index]
        end = context.sentence_starts[index + 1] if index + 1 < len(context.sentence_starts) else len(doc)
    else:
        start, end = 0, len(doc)
    para_start, para_end = paragraph or paragraph_of(span.start_char, context.paragraphs)
    starts = context.token_starts or [t.idx for t in doc]
    start = max(start, bisect.bisect_left(starts, para_start))
    end = min(end, bisect.bisect_left(starts, para_end))
    if start >= end:
        return span.start, span.end
    i = bisect.bisect_left(context.stops, start)
    while i < len(context.stops) and context.stops[i] < end - 1:
        stop = context.stops[i]
        if stop < span.start:
            start = stop + 1
        elif stop >= span.end - 1:
            end = stop + 1
            break
        i += 1
    return start, end


def _missed_stops(doc: Doc, text: str, token_starts: list[int]) -> list[int]:
    """Tokens that end a sentence: a full stop, or a number's unit with the stop ("£780m."), before a
    capital ("St." of "St. Helens" is not one)."""
    stops = []
    for match in _STOP.finditer(text):
        i = bisect.bisect_right(token_starts, match.start()) - 1
        if i < 0 or i + 1 >= len(doc):
            continue
        token = doc[i]
        if token.text == "." or (token.text.endswith(".") and
                                 (any(c.isdigit() for c in token.text) or (i > 0 and doc[i - 1].like_num))):
            stops.append(i)
    return stops


def _headline_and_lede(doc: Doc, paragraphs: list[tuple[int, int]], sentence_starts: list[int] | None = None,
                       token_starts: list[int] | None = None) -> tuple[tuple[int, int], tuple[int, int]]:
    """Char ranges of the headline and of the lede: the first two body paragraphs, at most LEDE_SENTENCES
    sentences (an XSum text is one paragraph)."""
    segments = doc._.segments or []
    # the standfirst is the headline's own summary: it counts with the headline
    headlines = [s for s in segments if s.section in ("headline", "standfirst")]
    body = [s for s in segments if s.section == "body"]
    # no headline in the text (CSV/JSONL rows): the metadata title plays its part (`title_mentions`)
    headline = (headlines[0].start, headlines[-1].end) if headlines else (0, 0)
    after = [p for p in paragraphs if p[0] >= headline[1]]
    if body:
        after = [p for p in after if any(s.start <= p[0] < s.end for s in body)]
    if not after:
        return headline, (0, 0)
    lede = (after[0][0], after[min(1, len(after) - 1)][1])
    if doc.has_annotation("SENT_START"):
        # the char where the (LEDE_SENTENCES + 1)th sentence from the lede's start begins, if any
        if sentence_starts is None:
            sentence_starts = numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist()
        starts = [token_starts[i] for i in sentence_starts] if token_starts else [doc[i].idx for i in sentence_starts]
        later = [c for c in starts if c > lede[0]]
        if len(later) >= LEDE_SENTENCES:
            lede = (lede[0], min(lede[1], later[LEDE_SENTENCES - 1]))
    return headline, lede


def entity_sentences(doc: Doc) -> list[Span]:
    """The sentences whose entities the linker reads: those holding a number candidate or a register match
    (doc.spans["numbers"], doc.spans["councils"]), those of the headline and lede, and the one before a
    number's sentence that opens with "It", "He", "She" or "They". (A pipeline that runs `ner` only where
    needed can run it on these.)"""
    if not doc.has_annotation("SENT_START"):
        return [doc[:]]
    text = doc_text(doc)
    headline, lede = _headline_and_lede(doc, paragraphs(text))
    wanted_chars = [s.start_char for s in doc.spans.get("numbers", [])] + \
        [s.start_char for s in doc.spans.get("councils", [])]
    sents = list(doc.sents)
    wanted = set()
    for index, sent in enumerate(sents):
        if any(sent.start_char <= c < sent.end_char for c in wanted_chars) or \
                sent.start_char < max(headline[1], lede[1]):
            wanted.add(index)
            if index > 0 and sent[0].lower_ in _PRONOUNS:
                wanted.add(index - 1)
    return [sents[i] for i in sorted(wanted)]


def _sentence_index(context: _Context, token: int) -> int:
    return bisect.bisect_right(context.sentence_starts, token) - 1


def _clause(number: Span, tokens: tuple[int, int]) -> tuple[int, int]:
    """Token range of the number's clause: the sentence cut at dashes, semicolons and 'while'/'whereas'."""
    doc = number.doc

    def breaks(i: int) -> bool:  # a spaced dash, not the hyphen of "Na h-Eileanan Siar"
        return doc[i].lower_ in _CLAUSE_BREAKS and (doc[i].is_alpha or doc[i].text == ";" or
                                                    (bool(doc[i].whitespace_) and i > 0 and bool(doc[i - 1].whitespace_)))

    start, end = tokens
    for i in range(number.start - 1, tokens[0] - 1, -1):
        if breaks(i):
            start = i + 1
            break
    for i in range(number.end, tokens[1]):
        if breaks(i):
            end = i
            break
    return start, end


def _parenthesis_owner(number: Span, mentions: list[Mention]) -> Mention | None:
    """The mention just before the bracket a number stands in: "Glasgow (89.9% of 4,551 pupils)"."""
    doc = number.doc
    i = number.start - 1
    while i >= 0 and number.start - i <= 6 and doc[i].text not in ("(", ")"):
        i -= 1
    if i < 0 or doc[i].text != "(":
        return None
    return next((m for m in mentions if m.span.end == i), None)


def _opens_sentence(context: _Context, mention: Mention) -> bool:
    index = _sentence_index(context, mention.span.start)
    return index >= 0 and context.sentence_starts[index] == mention.span.start


def _in_quotation(text: str, paragraph_start: int, sentence_start: int, number: Span) -> bool:
    """Is the number inside quotation marks (a speaker's words)? A quote opened before it in its sentence
    or its paragraph and not closed; a quote often runs over several sentences, and a paragraph that
    continues the same speaker opens again without closing the last (joined texts such as XSum's)."""
    for start in (sentence_start, paragraph_start):
        before = text[start:number.start_char]
        if before.count('"') % 2 == 1 or before.count("\u201c") > before.count("\u201d"):
            return True
    return False


def _within(char: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= char < bounds[1]


def _inside(span: Span, start_char: int, end_char: int) -> bool:
    return start_char <= span.start_char and span.end_char <= end_char


def _any_between(positions: Iterable[int], start: int, end: int) -> bool:
    """Is any token position in [start, end)? `positions` is sorted."""
    positions = list(positions) if not isinstance(positions, list) else positions
    i = bisect.bisect_left(positions, start)
    return i < len(positions) and positions[i] < end


def _distance(a: Span, b: Span) -> int:
    if a.start < b.end and b.start < a.end:
        return 0
    return b.start - a.end if b.start >= a.end else a.start - b.end


def _key(mention: Mention) -> str:
    return mention.council.code if mention.council else "|".join(c.code for c in mention.candidates)


def _councils_of(mention: Mention) -> tuple[Council, ...]:
    return (mention.council,) if mention.council else mention.candidates


def _capitalised_words(span: Span) -> bool:
    return all(t.text[:1].isupper() for t in span if t.is_alpha and t.lower_ not in ("and", "of", "upon", "on", "the"))


def _references(doc: Doc, taken: set[int], heads: Iterable[int]) -> list[Span]:
    """"the council", "the county council", "the authority", "the East Anglian council": the article's council.
    `heads` are the positions of "council"/"authority"."""
    found: list[Span] = []
    for i in heads:
        token = doc[i]
        if token.i in taken or token.i == 0:
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


def default_linker(nlp: Language) -> CouncilLinker:
    """The linker with the data files in models/ (as the pipeline config builds it)."""
    return CouncilLinker(nlp, load_register(),
                         national_cues=read_phrases(MODELS_DIR / "national_cues.csv", "phrase"),
                         other_bodies=read_bodies(MODELS_DIR / "other_bodies.csv", MODELS_DIR / "regional_bodies.csv"),
                         context=read_context())


def bench_linker(texts: list[str], nlp: Language | None = None) -> dict[str, float]:
    """Time the linker alone on `texts` (blank English + sentencizer): docs per second and mentions found."""
    import spacy

    if nlp is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    from pipeline import extensions  # noqa: F401

    started = time.perf_counter()
    linker = default_linker(nlp)
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
