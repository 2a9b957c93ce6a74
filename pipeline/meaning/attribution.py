"""Who states a figure: "A report submitted to the council said: ..." -> "A report submitted to the council".

Best effort over the sentence and its paragraph: a speaker before a reporting verb ("X said",
"X estimates", "according to X"), or after a quotation ("..., said Cliff Jordan"); a quotation
paragraph with no speaker inherits the speaker who opened the quote in an earlier paragraph.
"""
from __future__ import annotations

import re

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
    who = re.sub(r"\s+", " ", who).strip(" ,;:“”\"‘’'")
    who = re.sub(r"^(?:but|and|so|meanwhile|however|yet)\s+", "", who, flags=re.I)
    # "Based on projections, the authority predicts": the speaker follows the opening phrase.
    who = re.sub(r"^(?:based on|in|on|after|following|speaking|meanwhile|however|last|this|earlier|later)\b[^,]*,\s*", "", who, flags=re.I)
    who = re.sub(r"(?:\s+(?:has|have|had|was|is|were|are|also|previously|already|recently|has been|had been))+$", "", who, flags=re.I)
    if not who or who.lower() in _PRONOUNS or len(who) > 120:
        return None
    return who
