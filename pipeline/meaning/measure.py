"""What a number counts or is spent on: from the dependency parse of its sentence (measure_from_parse),
else from the words around it (find_measure, for pipelines without claim_parser).

The pipeline runs without spaCy's tagger and parser (they would halve its speed), so the
measure is found by patterns over the sentence: the words after a count ("1,137 looked-after
children"), after "on/into/for" for money ("£3.9 million on its safeguarding service"), after
"increase in" for percentages, or the subject of the clause ("the funding gap for children's
services is expected to rise to £3.1bn"). A measure that cannot be found is left empty.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from spacy.tokens import Doc, Token

from pipeline.resources import model_path

from pipeline.meaning.tree import (DETERMINERS as NP_DETERMINERS, MULTIPLIERS, PRONOUNS, SCALES, anchor, child, is_clause_head,
                                   is_numberish, is_percent, number_tokens, phrase, subject_of)

# Words that end a noun phrase: function words, auxiliaries and common reporting verbs.
STOP = frozenset(
    """a an the and or but of in on at by for to from with as if so than then that this these those it its their
    his her our your my is are was were be been being has have had will would could should may might can do does
    did not no who which whose where when while over under into onto per each every across after before since until
    during about around almost nearly some more less fewer just only also already still far aged said says say
    according including include includes included compared against between through within without up down out off
    rise rose risen rising fall fell fallen falling increase increased increasing decrease decreased cut cuts spend
    spent spending reach reached reaching cost costing costs saving save saved""".split()
)
DETERMINERS = re.compile(
    r"^(?:(?:its|the|a|an|their|his|her|our|this|that|these|those|some|all|total|extra|additional|further|new|"
    r"which)\s+)+",
    re.I,
)
_WORD = r"[A-Za-z][\w'’‘-]*"
_NUMBER_OF = re.compile(rf"\bnumber\s+of\s+((?:{_WORD}\s+){{0,6}}?{_WORD})(?=\s+(?:is|are|was|were|has|have|had|will|would|could|rose|fell|increased|decreased)\b|[,.;:]|$)", re.I)
_NUMBERS = re.compile(rf"((?:{_WORD}\s+){{0,2}}{_WORD}?)[’']s?\s+(?:numbers|population)\b|((?:{_WORD}\s+){{0,2}}{_WORD})\s+(?:numbers|population)\b", re.I)
_CHANGE_IN = re.compile(r"^\s*(?:increase|rise|fall|drop|decrease|cut|reduction|growth|jump)s?\s+in\s+(.*)", re.I)
_PREP_OBJECT = re.compile(r"^\s*(?:on|into|for|towards|to fund|to pay for)\s+(.*)", re.I)
_OF_OBJECT = re.compile(r"^\s*(?:[-–—)]\s*)?of\s+(.*)", re.I)  # "40,000 acres - of forest": a dash or bracket may close an aside first
_VERB_BY = re.compile(
    rf"\b(?:increase|raise|cut|reduce|boost|grow|lift)s?\s+((?:{_WORD}\s+){{1,5}}?{_WORD})\s+by\s+(?:[a-z]+\s+)?$", re.I
)
_COMPARED = re.compile(r"^\s*\w+er\s+than\b", re.I)
_SUBJECT = re.compile(
    rf"^\s*((?:{_WORD}\s+){{0,7}}?{_WORD})\s+(?:is|are|was|were|has|have|had|will|would|could|can|may|might|rose|fell|"
    r"increased|decreased|went|stood|reached|totalled|totals)\b",
    re.I,
)


def noun_phrase(text: str, max_words: int = 6) -> str | None:
    """The words at the start of `text` up to the first stop word: "looked-after children, far" -> "looked-after children"."""
    text = DETERMINERS.sub("", text.lstrip(" \u00a0‘'“\""))
    words: list[str] = []
    for match in re.finditer(r"[\w'’‘-]+|[^\w\s]", text):
        word = match.group(0)
        if not re.match(r"[A-Za-z]", word) or word.lower() in STOP or len(words) >= max_words:
            break
        words.append(word.strip("‘’'"))
    phrase = " ".join(words).strip()
    return phrase or None


def _clean(phrase: str | None) -> str | None:
    if not phrase:
        return None
    phrase = DETERMINERS.sub("", phrase.strip(" ,.;:‘’'“”\""))
    phrase = re.sub(r"^number\s+of\s+", "", phrase, flags=re.I)
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,.;:‘’'“”\"")
    return phrase or None


def find_measure(sentence: str, start: int, end: int, kind: str) -> str | None:
    """The measure of the number at sentence[start:end] (offsets within the sentence)."""
    before, after = sentence[:start], sentence[end:]
    after = re.sub(r"^\s*(?:a|per|an|each|every)\s+(?:year|month|week|day|hour|annum)\b", "", after, flags=re.I)
    if kind in ("count", "ratio", "quantity"):
        of_object = _OF_OBJECT.match(after) if kind == "ratio" else None
        phrase = noun_phrase(of_object.group(1)) if of_object else noun_phrase(after)
        if kind == "ratio" and _COMPARED.match(after):
            phrase = None  # "20 times faster than ...": the comparative is not what is measured
        if phrase and kind != "quantity":
            return _clean(phrase)
        if kind == "quantity":
            of_object = _OF_OBJECT.match(after)
            return _clean(noun_phrase(of_object.group(1))) if of_object else None
    if kind == "percent":
        change = _CHANGE_IN.match(after)
        if change:
            return _clean(_number_of_or_phrase(change.group(1)))
        of_object = _OF_OBJECT.match(after)
        if of_object:
            return _clean(noun_phrase(of_object.group(1)))
        verb_by = _VERB_BY.search(before)
        if verb_by:
            return _clean(verb_by.group(1))
        phrase = noun_phrase(after)
        if phrase:
            return _clean(phrase)
    if kind in ("money", "duration"):  # "£5m for roads", "18 weeks for surgery", "a 25-year lease"
        object_ = _PREP_OBJECT.match(after)
        if object_:
            return _clean(noun_phrase(object_.group(1)))
        phrase = noun_phrase(after)
        if phrase:
            return _clean(phrase)
    if kind == "money":  # "the number of children" before "£12m" is not what the money is
        return _subject(before)
    if kind == "duration":  # "two working days will be lost": the time words name what is counted
        return _clean(re.sub(r"^\S+?[\s-]+", "", sentence[start:end])) or _subject(before)
    number_of = _NUMBER_OF.search(before)
    if number_of:
        return _clean(number_of.group(1))
    numbers = _NUMBERS.search(before) if re.search(r"numbers|population", before, re.I) else None
    if numbers:
        return _clean(numbers.group(1) or numbers.group(2))
    return _subject(before)


def _subject(before: str) -> str | None:
    """The subject of the clause the number ends: "the funding gap for X is expected to rise to"."""
    match = _SUBJECT.search(_last_clause(before))
    if not match:
        return None
    words = [w.lower() for w in match.group(1).split()]
    inner = set(words[1:]) - {"of", "for", "on", "in", "to", "and"}
    if words[0] in ("it", "he", "she", "they", "we", "i", "but", "if", "that", "which") or inner & STOP:
        return None
    return _clean(match.group(1))


def _number_of_or_phrase(text: str) -> str | None:
    match = re.match(r"^\s*(?:the\s+)?number\s+of\s+(.*)", text, re.I)
    if match:
        return noun_phrase(match.group(1), max_words=8) if not re.search(r"\bsubject\s+to\b", match.group(1)) else \
            re.split(r"[,.;]", match.group(1))[0]
    return noun_phrase(text, max_words=8) if not re.search(r"\bto\b", text[:60]) else \
        re.split(r"[,.;]|\s+over\s+|\s+and\s+a\b", text)[0]


def _last_clause(text: str) -> str:
    parts = re.split(r"[,;:–—]\s+|\band\b|\bbut\b|\bdespite\b", text)
    return parts[-1] if parts else text


# --- From the dependency parse (claim sentences; see pipeline/components/claim_parser.py) ---

# Word forms rather than lemmas: the parse pipeline has no tagger or lemmatizer.
SPEND_VERBS = frozenset(
    """hand hands handed handing spend spends spent spending invest invests invested investing allocate allocates allocated allocating
    earmark earmarks earmarked put puts putting pay pays paid paying give gives given giving gave award awards
    awarded provide provides provided providing fund funds funded funding borrow borrows borrowed borrowing
    set aside grant granted budget budgeted pump pumped plough ploughed inject injected receive receives
    received receiving secure secured securing win won bid pledge pledged commit committed""".split()
)
CUT_VERBS = frozenset("""cut cuts cutting save saves saved saving raise raises raised raising reduce reduces reduced
    reducing trim trimmed slash slashed find found make made lose lost losing owe owes owed""".split())
CHANGE_VERBS = frozenset(
    """increase increases increased increasing rise rises rose risen rising fall falls fell fallen falling drop
    drops dropped dropping grow grows grew grown growing go goes went gone climb climbs climbed jump jumps jumped
    soar soared decline declines declined double doubled treble trebled triple tripled halve halved boost boosts
    boosted up down reduce reduces reduced reducing cut cuts lift lifted shrink shrank shrunk expand expanded
    reach reaches reached hit hits top tops topped exceed exceeds exceeded surge surged plunge plunged
    slump slumped""".split()
)
STATE_VERBS = frozenset(
    """is are was were be been being stand stands stood total totals totalled totaled amount amounts amounted
    cost costs costing come comes came run runs ran sit sits sat remain remains remained worth estimated put
    valued value""".split()
)
CHANGE_NOUNS = frozenset(
    """increase increases rise rises fall falls drop drops cut cuts reduction reductions growth jump decline hike
    hikes uplift boost surge reduction rise fall overspend underspend change""".split()
)
TIME_NOUNS = frozenset("""year years month months week weeks day days hour hours minute minutes decade decades
    century times time night nights""".split())
# "sold the bonds at 90p": a price "at" on these verbs is their object's
SALE_VERBS = frozenset("""sell sells sold selling buy buys bought buying offer offers offered offering issue issues
    issued issuing trade trades traded trading auction auctioned""".split())
# "in the north", "across the country": where, not what (named places are GPE/LOC entities)
PLACE_NOUNS = frozenset("""north south east west north-east north-west south-east south-west northeast northwest
    southeast southwest world country region""".split())
MAX_WORDS = 7  # "total spend on services for vulnerable children"; longer runs into places and times
ACTOR_LABELS = frozenset({"ORG", "PERSON", "GPE", "NORP"})
SCALE_WORDS = SCALES | frozenset("sq square cubic".split())  # "m euros", "million sq km": parts of a unit phrase
UNIT_NOUNS = ("tonnes tons tonne ton km kilometres kilometers miles mile acres acre metres meters feet ft litres "
              "liters gallons barrels sq square kg kilograms pounds").split()


def measure_from_parse(sent: Doc, start: int, end: int, kind: str) -> str | None:
    """The measure of the number at characters [start, end) of the parsed sentence `sent`."""
    tokens = number_tokens(sent, start, end)
    top = anchor(tokens)
    if top is None:
        return None
    exclude = {t.i for t in tokens}
    found = _measure_head(sent, top, tokens, exclude)
    if found is None:
        return None
    head, words = found
    text = words if isinstance(words, str) else phrase(head, exclude=exclude, max_words=MAX_WORDS)
    if not text or _is_actor(sent, head, text) or head.lower_ in TIME_NOUNS or is_numberish(head):
        return None
    if _is_unit_of_amount(head) and is_unit_phrase(text):
        return None  # "372 riyals ($99)": another figure's unit ("the yen rose 2%" keeps "yen")
    return text


def _measure_head(sent: Doc, top: Token, tokens: list[Token], exclude: set[int]):
    """(head token, None) of what the number measures, or None."""
    bracketed = _noun_after_brackets(top, exclude) or _noun_hung_on_number(sent, tokens, exclude)
    if bracketed is not None:
        return bracketed, None
    # "1,137 looked-after children", "nine out of 10 councils", "a £1.9 billion funding gap": a noun
    # outside the number that the number's words modify.
    for token in tokens:
        head = token.head
        if head.i not in exclude and token.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") \
                and not is_numberish(head) and not is_clause_head(head) and head.i > token.i:
            if head.lower_ in CHANGE_NOUNS:
                return _change_noun(head, exclude)
            if head.lower_ in TIME_NOUNS:
                return None
            if head.lower_ in unit_words():
                # "11.49 million tonnes": the unit is not the measure; read on from the unit
                bracketed = _noun_after_brackets(head, exclude)
                if bracketed is not None:
                    return bracketed, None
                return _measure_head(sent, head, [*tokens, head], exclude | {head.i})
            return head, None
    # "90% of senior managers", "half of the schools", "three out of every five shops"
    of = next((c for c in top.children if c.dep_ == "prep" and c.lower_ == "of" and c.i not in exclude), None)
    out = next((c for c in top.children if c.dep_ == "prep" and c.lower_ == "out" and c.i not in exclude), None)
    if of is None and out is not None:
        of = next((c for c in out.children if c.dep_ == "prep" and c.lower_ == "of" and c.i not in exclude), None)
    if of is not None and child(of, "pobj") is not None and (top.dep_ != "pobj" or (out is not None and of.head.i == out.i)) \
            and not is_numberish(child(of, "pobj")) \
            and not (top.lower_ in unit_words() and _is_place_or_time(sent, child(of, "pobj"))):  # "60 miles of Dover"
        return child(of, "pobj"), None
    head, dep = top.head, top.dep_
    if dep in ("appos", "npadvmod", "conj", "dep") and head.i not in exclude and (_is_amount(head) or _is_unit_of_amount(head)):
        # "$35bn (£18.8bn)", "900 roubles ($32)": the bracketed equivalent measures what the first figure does
        first = [t for t in head.subtree if t.i <= head.i and (_is_amount(t) or t.i == head.i)]
        return _measure_head(sent, head, first, exclude | {t.i for t in first})
    holder = next((c for c in top.children if c.dep_ == "prep" and c.lower_ in ("in", "on", "for", "into", "towards")
                   and c.i not in exclude), None)
    if holder is not None and (child(holder, "pobj") is not None or child(holder, "pcomp") is not None):
        target = _object_of_prep(holder, exclude)
        # "$200bn in foreign reserves", "£3m for repairs" (not "£3m in 2018", "in Wales")
        if target is not None and not _is_place_or_time(sent, target):
            return target, None
    if dep == "pobj":
        prep = head
        governor = prep.head
        if prep.lower_ == "from" and governor.lower_ in ("up", "down", "rising", "falling") and governor.dep_ in ("advmod", "prt"):
            # "eight out of 10 babies ..., up from six out of 10": the figure it is compared with
            before = [t for t in sent if t.i < min(exclude) and _is_amount(t)]
            if before:
                last = before[-1]
                earlier = [t for t in before if last.i - t.i < 4]
                return _measure_head(sent, anchor(earlier), earlier, exclude | {t.i for t in earlier})
            return None
        if prep.lower_ == "than" or (governor.lower_ in ("compared", "compare", "compares", "against", "versus")
                                     and governor.head.i != governor.i):
            # "turnover was $44.7bn, compared to $45.9bn a year ago": what the other figure is
            verb = governor.head
            while not is_clause_head(verb) and verb.head.i != verb.i:
                verb = verb.head
            return _from_verb(verb, top, exclude, "at")
        if governor.dep_ in NOMINAL_DEPS or (not is_clause_head(governor) and governor.dep_ != "ROOT"
                                             and governor.lower_ not in CHANGE_VERBS):
            # "a budget of £3m", "an increase of 5% in fees"
            if governor.lower_ in CHANGE_NOUNS:
                return _change_noun(governor, exclude)
            if _is_place_or_time(sent, governor) or is_numberish(governor):
                return None  # "the three months to December of 7.5bn yen"
            return governor, None
        return _from_verb(governor, top, exclude, prep.lower_)
    if dep in ("npadvmod", "dobj", "pobj") and head.dep_ in ("advmod", "prt", "acomp", "prep") and head.lower_ in (
            "up", "down", "back", "higher", "lower", "ahead", "off", "below", "above", "short"):
        # "the stock slipped back 7%", "shares closed up 3%": the verb the adverb belongs to
        return _from_verb(head.head, top, exclude, None)
    if dep in ("dobj", "nsubjpass", "nsubj", "attr", "oprd", "npadvmod", "appos", "conj", "ROOT"):
        if dep == "appos" and not is_clause_head(head):
            return (head, None) if not is_numberish(head) else None
        return _from_verb(head if dep != "ROOT" else top, top, exclude, None)
    return None


NOMINAL_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "pobj", "attr", "appos", "oprd", "dative"})


def _noun_after_brackets(token: Token, exclude: set[int]) -> Token | None:
    """"a 684bn yen ($6.4bn) loss": the noun after a bracketed equivalent, which the parser hangs
    on the amount as an apposition instead of making the amount its modifier."""
    for right in token.rights:
        if right.dep_ == "appos" and right.i not in exclude and right.i > 0 and right.doc[right.i - 1].text == ")" \
                and not _is_amount(right) and not is_numberish(right) and right.lower_ not in PRONOUNS:
            if right.lower_ == "worth":  # "11m euros ($15m) worth of fake invoices"
                of = next((c for c in right.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                return child(of, "pobj") if of is not None else None
            # "a ... loss" (a noun phrase), not "it is 3.5m (11.5ft) deep"
            opened = next((t for t in token.subtree if t.i < token.i), token)
            if opened.i > 0 and opened.doc[opened.i - 1].lower_ in NP_DETERMINERS:
                return right
            if any(c.dep_ in ("det", "poss") for c in token.children):
                return right
    return None


def _noun_hung_on_number(sent: Doc, tokens: list[Token], exclude: set[int]) -> Token | None:
    """"a $125m fine": the word right after the number when the parse hangs it on the number's own
    words ("m" read as a head) as a modifier, instead of making the number its modifier."""
    last = tokens[-1] if tokens else None
    if last is None or last.i + 1 >= len(sent):
        return None
    after = sent[last.i + 1]
    if after.i in exclude or after.head.i not in exclude or after.dep_ not in ("amod", "compound", "appos") \
            or not after.is_alpha or after.is_title or after.lower_ in STOP or after.lower_ in unit_words() or after.lower_ in TIME_NOUNS \
            or after.lower_ in ("extra", "additional", "more", "less", "annual", "total", "worth") or list(after.children):
        return None
    return after


def _is_amount(token: Token) -> bool:
    return token.like_num or token.is_currency or token.lower_ in MULTIPLIERS or any(c.isdigit() for c in token.text)


def _is_place_or_time(sent: Doc, token: Token) -> bool:
    if token.lower_ in TIME_NOUNS or token.lower_ in PLACE_NOUNS or token.like_num:
        return True
    return any(e.start <= token.i < e.end and e.label_ in ("GPE", "LOC", "DATE", "TIME", "FAC") for e in sent.ents)


def _change_noun(noun: Token, exclude: set[int]):
    """"a 17% increase in referrals": what increases; else what the change belongs to."""
    for prep in noun.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "of", "for") and child(prep, "pobj") is not None:
            obj = child(prep, "pobj")
            if obj.i not in exclude and not is_numberish(obj):
                return obj, None
    # "its budget saw a 5% increase": the subject of the clause the change noun sits in
    if noun.dep_ in ("dobj", "attr"):
        subject = subject_of(noun.head)
        if subject is not None and subject.lower_ not in PRONOUNS:
            return subject, None
    return None


def _from_verb(verb: Token, top: Token, exclude: set[int], prep: str | None):
    word = verb.lower_
    if word in SPEND_VERBS or (word in CUT_VERBS and prep is None):
        # "spend £3.9m on its safeguarding service", "£2m was set aside for repairs"
        for preps in (("on", "for", "into", "in", "towards"), ("to",)):
            for holder in (top, verb):
                for c in holder.children:
                    # after the number: "In that case, it paid $17,000" is no spending on a case
                    if c.dep_ in ("prep", "dative") and c.lower_ in preps and c.i not in exclude and c.i > top.i:
                        target = _object_of_prep(c, exclude)
                        if target is not None and not _is_place_or_time(verb.doc, target) \
                                and not _is_actor(verb.doc, target, target.text):
                            return target, None
            if preps[0] == "on":
                # "pay $300m to settle charges": the purpose's object
                purpose = _purpose(verb)
                if purpose is not None:
                    return purpose, None
        # "cut its budget by £3m": the verb's other object
        other = next((c for c in verb.children if c.dep_ == "dobj" and c.i not in exclude), None)
        if other is not None and not is_numberish(other):
            return other, None
        if verb.dep_ == "xcomp" and word in SPEND_VERBS:  # "plans to spend £5m": nothing says on what
            return None
        return None
    if word in CHANGE_VERBS or prep in ("by", "from", "to") and word not in STATE_VERBS:
        # "increase its budget by 30%": the object; "the gap will rise to £3.1bn": the subject
        other = next((c for c in verb.children if c.dep_ == "dobj" and c.i not in exclude and not is_numberish(c)), None)
        if other is not None:
            return _change_noun(other, exclude) if other.lower_ in CHANGE_NOUNS else (other, None)
        subject = _verb_subject(verb, exclude)
        return (subject, None) if subject is not None else None
    if word in STATE_VERBS or prep == "at":
        # "the deficit stands at £3m", "the scheme will cost £5m", "the total was 1,200"
        other = next((c for c in verb.children if c.dep_ == "dobj" and c.i not in exclude), None)
        if prep == "at" and word in SALE_VERBS and other is not None and not is_numberish(other) \
                and other.lower_ not in PRONOUNS and not _is_actor(verb.doc, other, other.text):
            return other, None  # "dealers sold the bonds at 90p": the bonds' price, not the dealers'
        subject = _verb_subject(verb, exclude)
        if subject is not None and not is_numberish(subject):
            if subject.lower_ in CHANGE_NOUNS:
                return _change_noun(subject, exclude) or (subject, None)
            return subject, None
    if word in STATE_VERBS and top.dep_ in ("dobj", "attr", "npadvmod"):
        # "it can cost £1,500 to make a copy": what the money does
        purpose = _purpose(verb)
        if purpose is not None:
            return purpose, None
    if top.dep_ == "dobj" and prep is None:
        # "taking $1.6bn in ticket sales", "raised £2m for charity"
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "for", "from") and c.i > top.i:
                target = _object_of_prep(c, exclude)
                if target is not None and not _is_place_or_time(verb.doc, target) and not _is_actor(verb.doc, target, target.text):
                    return target, None
    if top.dep_ in ("dobj", "npadvmod") and prep is None:
        # "the stock slipped back 7%", "sales edged up 2%": a percent change of the subject
        subject = _verb_subject(verb, exclude) if is_percent(top) else None
        if subject is not None and not is_numberish(subject):
            return subject, None
    if top.dep_ == "nsubj" and prep is None and _is_share(top) and word not in STATE_VERBS | CHANGE_VERBS:
        # "42% backed the plan", "half opposed the closure": a poll's share for what they back
        other = next((c for c in verb.children if c.dep_ == "dobj" and c.i not in exclude), None)
        if other is not None and not is_numberish(other) and other.lower_ not in PRONOUNS \
                and not _is_actor(verb.doc, other, other.text):
            return other, None
    return None


def _is_share(top: Token) -> bool:
    """A percentage or a fraction word: "42%", "half", "two-thirds"."""
    return top.lower_ in ("half", "third", "thirds", "quarter", "quarters", "majority", "minority") or is_percent(top)


def _purpose(verb: Token) -> Token | None:
    """The object of "to <verb> <object>" hanging on `verb` ("pay $3m to settle the claims" -> claims)."""
    purpose = next((c for c in verb.children if c.dep_ in ("advcl", "xcomp") and child(c, "aux") is not None
                    and child(c, "dobj") is not None), None)
    return child(purpose, "dobj") if purpose is not None else None


def _verb_subject(verb: Token, exclude: set[int]) -> Token | None:
    """The verb's subject; through "which"/"that" to the noun a relative clause hangs on."""
    subject = subject_of(verb)
    if subject is None or subject.i in exclude:
        return None
    if subject.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
        return verb.head
    if subject.lower_ in PRONOUNS:
        return None
    return subject


@lru_cache(maxsize=1)
def unit_words() -> frozenset[str]:
    """Units of measurement and currencies named in words (models/number_cues.csv `unit` and
    `currency_word` rows, and quantulum3's common units)."""
    with open(model_path("number_cues.csv"), encoding="utf-8", newline="") as handle:
        cues = {row["cue"].lower() for row in csv.DictReader(handle) if row["type"] in ("unit", "currency_word")}
    return frozenset(cues | set(UNIT_NOUNS))


@lru_cache(maxsize=1)
def _unit_phrase_words() -> frozenset[str]:
    return frozenset(word for cue in unit_words() for word in cue.split()) | SCALE_WORDS


def is_unit_phrase(text: str) -> bool:
    """Whether `text` is only a figure's own unit ("riyals", "m euros", "sq km"): the unit says what
    the number is in, not what it measures."""
    words = [w.strip(",.;:()'\"‘’“”").lower() for w in text.split()]
    words = [w for w in words if w]
    return bool(words) and all(w in _unit_phrase_words() for w in words)


def _is_unit_of_amount(token: Token) -> bool:
    """A unit word that a number modifies: "riyals" of "372 riyals"."""
    return token.lower_ in unit_words() and any(_is_amount(c) for c in token.children)


def _object_of_prep(prep: Token, exclude: set[int]) -> Token | None:
    """The noun after "on"/"for": through a gerund to its object ("on implementing a plan" -> plan)."""
    obj = child(prep, "pobj")
    if obj is not None and obj.i not in exclude and not is_numberish(obj):
        return obj
    gerund = child(prep, "pcomp")
    if gerund is not None:
        obj = child(gerund, "dobj")
        if obj is not None and obj.i not in exclude:
            return obj
    return None


def _is_actor(sent: Doc, head: Token, text: str) -> bool:
    """A named actor (a company, a person, a council) is who the figure belongs to, not what it measures."""
    for ent in sent.ents:
        if ent.start <= head.i < ent.end and ent.label_ in ACTOR_LABELS \
                and (len(text) <= len(ent.text) + 2 or text.endswith(ent.text)):  # "MPC member Paul Tucker"
            return True
    if head.lower_ in PRONOUNS:
        return True
    return False
