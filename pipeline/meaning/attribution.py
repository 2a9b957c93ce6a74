"""Who states a figure: "A report submitted to the council said: ..." -> "A report submitted to the council".

From the dependency parse of the figure's sentence (attribution_from_parse), then the words of its
paragraph (find_attribution: a quote opened by "X said:" before it, or a pipeline without claim_parser).

Best effort over the sentence and its paragraph: a speaker before a reporting verb ("X said",
"X estimates", "according to X"), or after a quotation ("..., said Cliff Jordan"); a quotation
paragraph with no speaker inherits the speaker who opened the quote in an earlier paragraph.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from pipeline.meaning.tree import PRONOUNS, anchor, child, is_clause_head, number_tokens

VERBS = (
    r"said|says|say|states|stated|state|estimates|estimated|estimate|predicts|predicted|warned|warns|told|found|"
    r"finds|reported|reports|claimed|claims|argued|argues|added|suggests|suggested|shows|showed|revealed|reveals|"
    r"forecasts|forecast|projects|projected|announced|announces|believes|believed"
)
_SPEAKER_BEFORE = re.compile(
    rf"(?:^|[.;:!?]\s+|\n)(?P<who>(?:[A-Z‘'][\w’'‘-]*|the|a|an|its|of|for|on|to|and|at|in|&)"
    rf"(?:[ ,]+(?:[\w’'‘-]+)){{0,12}}?)\s*,?\s+(?:{VERBS})\b",
)
_SPEAKER_AFTER = re.compile(rf"[”\"’'],?\s+(?:{VERBS})\s+(?P<who>(?:[A-Z][\w’'-]*\s*){{1,4}}|the\s+\w+(?:\s+\w+){{0,3}})")
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<who>(?:the\s+)?[\w’'-]+(?:\s+[A-Z\w][\w’'-]*){0,5})")
# "Cllr Richard Watts, Chair of ..., said:" closing a paragraph: the speaker of the quote that follows.
_OPENER_END = re.compile(r",?\s+(?:" + VERBS + r")\s*[:,]\s*[“\"‘']?\s*$")
_VERB = re.compile(rf"\b(?:{VERBS})\b")
_PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i", "this", "that", "there", "which", "who"})


def find_attribution(sentence: str, paragraph_before: str = "") -> str | None:
    """The speaker of `sentence`; `paragraph_before` is the text before it in its paragraph and earlier quote-openers."""
    if "according" in sentence:
        match = _ACCORDING.search(sentence)
        if match:
            return _tidy(match.group("who"))
    if _VERB.search(sentence):  # the speaker patterns are slow; most sentences have no reporting verb
        match = _SPEAKER_AFTER.search(sentence)
        if match:
            return _tidy(match.group("who"))
        match = _SPEAKER_BEFORE.search(sentence)
        if match and _tidy(match.group("who")):
            return _tidy(match.group("who"))
    tail = paragraph_before.rstrip()[-200:]
    opener = _OPENER_END.search(tail) if tail.endswith((":", ",", "“", '"', "‘", "'")) else None
    if opener:
        who = re.split(r"[.;!?\n]\s+", tail[: opener.start()])[-1][-120:]
        if len(who.strip()) >= 3:
            return _tidy(who)
    return None


def _tidy(who: str | None) -> str | None:
    if not who:
        return None
    who = re.sub(r"\s+", " ", who).strip(" ,;:“”\"‘’'-–—")  # "Souness - who ... -": the dashes around an aside
    who = re.sub(r"^(?:but|and|so|meanwhile|however|yet)\s+", "", who, flags=re.I)
    # "Based on projections, the authority predicts": the speaker follows the opening phrase.
    who = re.sub(r"^(?:based on|in|on|after|following|speaking|meanwhile|however|last|this|earlier|later)\b[^,]*,\s*", "", who, flags=re.I)
    who = re.sub(r"(?:\s+(?:has|have|had|was|is|were|are|also|previously|already|recently|has been|had been))+$", "", who, flags=re.I)
    if not who or who.lower() in _PRONOUNS or len(who) > 120:
        return None
    return who


# --- From the dependency parse (claim sentences; see pipeline/components/claim_parser.py) ---

REPORTING_VERBS = frozenset(
    """say says said saying tell tells told warn warns warned warning estimate estimates estimated estimating
    forecast forecasts forecasting predict predicts predicted report reports reported find finds found show
    shows showed shown claim claims claimed add adds added state states stated reveal reveals revealed suggest
    suggests suggested announce announces announced believe believes believed argue argues argued confirm
    confirms confirmed insist insists insisted explain explains explained note notes noted admit admits admitted
    calculate calculates calculated project projects projected indicate indicates indicated highlight
    highlighted highlights put""".split()
)


def attribution_from_parse(sent: Doc, start: int, end: int) -> str | None:
    """Who states the number at characters [start, end) of the parsed sentence: the subject of a
    reporting verb above it ("the report said", "said Jo Bloggs"), or "according to X"."""
    tokens = number_tokens(sent, start, end)
    top = anchor(tokens)
    if top is None:
        return None
    inside = {t.i for t in tokens}
    according, verbs = _sources(sent)
    if according is not None:
        return _speaker(according, inside)
    if not verbs:
        return None
    ancestors = {t.i for t in top.ancestors}
    # a reporting verb in a relative clause speaks for its own clause and the noun the clause
    # describes ("the 2.5% which the government predicted", "a plan which the unions say would
    # cost 900 jobs"), not for the rest of the sentence ("Six depots close under a plan which ...")
    described = inside | {top.i, top.head.i}  # the number, or the noun it counts ("the 4.2% figure that ...")
    verbs = [v for v in verbs if v.i in ancestors or _described(v, described)]
    if not verbs:
        return None
    # a reporting verb the number depends on ("X said [the gap will reach £3bn]"), else the one
    # closest to the number (a quote, then "said X")
    above = [v for v in verbs if v.i in ancestors]
    ordered = above + sorted((v for v in verbs if v.i not in ancestors), key=lambda v: abs(v.i - top.i))
    for verb in ordered:
        subject = child(verb, "nsubj", "nsubjpass")
        if subject is not None and subject.dep_ == "nsubjpass":
            agent = child(verb, "agent")
            subject = child(agent, "pobj") if agent is not None else None
        if subject is None:
            continue
        speaker = _speaker(subject, inside)
        if speaker:
            return speaker
    return None


def _sources(sent: Doc) -> tuple[Token | None, list[Token]]:
    """The object of the sentence's first "according to" (or None) and its reporting verbs: read once per
    parsed sentence (kept in its user_data), not once per number in it."""
    found = sent.user_data.get("council_claims.sources")
    if found is None:
        according = None
        for token in sent:
            if token.lower_ == "according":
                to = next((c for c in token.children if c.lower_ == "to"), None)
                according = child(to, "pobj") if to is not None else None
                if according is not None:
                    break
        verbs = [t for t in sent if t.lower_ in REPORTING_VERBS and (is_clause_head(t) or t.dep_ == "conj")
                 and not (t.lower_ == "put" and child(t, "prep") is None)]
        found = sent.user_data["council_claims.sources"] = (according, verbs)
    return found


def _described(verb: Token, number: set[int]) -> bool:
    """Whether `verb` may speak for a number it does not head: it is not in a relative clause, or
    the relative clause it is in describes the number."""
    clause = next((t for t in [verb, *verb.ancestors] if t.dep_ == "relcl"), None)
    return clause is None or clause.head.i in number


def _in_relative_clause(token: Token, head: Token) -> bool:
    """Whether `token`, in `head`'s subtree, is inside a relative clause below `head`."""
    while token.i != head.i:
        if token.dep_ == "relcl":
            return True
        token = token.head
    return False


def _speaker(head: Token, number: set[int]) -> str | None:
    words = list(head.subtree)
    if any(t.i in number for t in words) or head.lower_ in PRONOUNS:
        return None  # "40% of parents said so": they are what is measured, not a source
    # without a relative clause that trails the name (a speaker may itself sit in one: "proposals
    # which the Tories say would save £4bn")
    words = [t for t in words if not _in_relative_clause(t, head)]
    text = "".join(t.text_with_ws for t in words).strip(" \u00a0,;:“”\"‘’'")
    if not text or text.lower() in PRONOUNS or len(text) > 160:
        return None
    return _tidy(text)
