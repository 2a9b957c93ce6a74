"""Helpers over a dependency-parsed sentence Doc (claim_parser's output: tok2vec + parser, no tagger).

The parse has dependency labels but no part-of-speech tags (the tagger would add a third to the
parser's cost), so word classes come from the labels and small word lists: a token is a clause
head when its label is one a verb takes (ROOT, ccomp, advcl, ...), a pronoun when it is in
PRONOUNS, a number word when spaCy's like_num or the money/percent words say so.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

PRONOUNS = frozenset(
    "i me we us you he him she her it they them this that these those which who whom what there one "
    "its their his our my your itself themselves".split()
)
DETERMINERS = frozenset("a an the this that these those some any each every all its their his her our my your "
                        "such another no".split())
SCALES = frozenset("m bn k million billion trillion thousand hundred".split())  # "£70m", "2.4 million"
MULTIPLIERS = SCALES | frozenset("% cent percent pc p pence".split())
# Tokens that belong to a number's own words: "£", "3.9", "million", "%", "per cent", "out of".
NUMBER_WORDS = MULTIPLIERS | frozenset("£ $ € ¥ per percentage point points to - – out of".split())
CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "advcl", "relcl", "xcomp", "parataxis", "csubj", "acl", "pcomp"})
# Labels of words that add to a noun phrase; anything else (relative clauses, appositions,
# conjuncts, punctuation) ends it.
NP_LEFT = frozenset({"det", "compound", "amod", "nmod", "poss", "case", "npadvmod", "hyph", "advmod"})
NP_PREPS = frozenset("of for on in to into at with towards from about".split())


def number_tokens(sent: Doc, start: int, end: int) -> list[Token]:
    """The tokens of the characters [start, end) of the sentence."""
    span = sent.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def is_numberish(token: Token) -> bool:
    return token.like_num or token.is_currency or token.lower_ in NUMBER_WORDS


def _is_amount_word(token: Token) -> bool:
    return token.like_num or token.is_currency or token.lower_ in MULTIPLIERS


def anchor(tokens: list[Token]) -> Token | None:
    """The number's top token: the one whose head lies outside the number, climbing through heads
    that are number words too ("£57.4 million to £73.7 million": the second "million")."""
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    top = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[-1])
    seen = set(inside)
    while top.head.i != top.i and top.head.i not in seen and _is_amount_word(top.head) and top.dep_ in (
            "quantmod", "compound", "nummod", "nmod", "prep", "pobj", "cc", "conj", "amod", "npadvmod"):
        seen.add(top.head.i)
        top = top.head
    return top


def is_clause_head(token: Token) -> bool:
    return token.dep_ in CLAUSE_DEPS or (token.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass", "aux")
                                                                    for c in token.children))


def clause_head(token: Token) -> Token:
    """The nearest head above `token` that heads a clause (or the root)."""
    current = token
    while not is_clause_head(current) and current.head.i != current.i:
        current = current.head
    return current


def child(token: Token, *deps: str) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, following "is expected to rise" (xcomp) and conjoined verbs up."""
    current = verb
    for _ in range(4):
        subject = child(current, "nsubj", "nsubjpass", "csubj")
        if subject is not None:
            return subject
        if current.dep_ in ("xcomp", "conj", "advcl", "acl", "acomp") and current.head.i != current.i:
            current = current.head
            continue
        return None
    return None


def phrase(head: Token, *, exclude: set[int] = frozenset(), max_words: int = 10, preps: bool = True) -> str | None:
    """The noun phrase headed by `head`, in the article's words: its left modifiers (not determiners,
    pronouns or the number itself) and "of/for/on/in/to ..." attachments on the right."""
    chosen = _np_tokens(head, exclude, preps, depth=0)
    chosen = sorted(chosen, key=lambda t: t.i)
    # a phrase is one stretch of words: stop at a gap (the number, a skipped clause)
    start = next(i for i, t in enumerate(chosen) if t.i == head.i)
    lo, hi = start, start
    while lo > 0 and chosen[lo - 1].i == chosen[lo].i - 1:
        lo -= 1
    while hi + 1 < len(chosen) and chosen[hi + 1].i == chosen[hi].i + 1:
        hi += 1
    words = chosen[lo : hi + 1]
    while words and (words[0].lower_ in DETERMINERS or words[0].lower_ in PRONOUNS or words[0].is_punct
                     or words[0].dep_ in ("case", "advmod", "quantmod") or words[0].like_num
                     or (words[0].lower_ in NP_PREPS and words[0].whitespace_)):  # "- of forest", not "on-call"
        if words[0].i == head.i:
            break
        words = words[1:]
    while words and (words[-1].is_punct or words[-1].lower_ in NP_PREPS or words[-1].lower_ in DETERMINERS) \
            and words[-1].i != head.i:
        words = words[:-1]
    if len(words) > max_words:
        words = [t for t in words if t.i <= head.i][-max_words:] if head.i >= words[0].i + max_words else words[:max_words]
        while words and (words[-1].lower_ in NP_PREPS or words[-1].lower_ in DETERMINERS):
            words = words[:-1]
    text = "".join(t.text_with_ws for t in words[:-1]) + (words[-1].text if words else "")
    text = text.strip(" \u00a0,.;:‘’'“”\"()")
    if not text or text.lower() in PRONOUNS:
        return None
    return text


def _place_or_time(token: Token) -> bool:
    return any(e.start <= token.i < e.end and e.label_ in ("GPE", "LOC", "DATE", "TIME") for e in token.doc.ents) \
        or token.lower_ in ("city", "town", "country", "area", "region", "county", "year", "month", "week", "day")


def is_percent(token: Token) -> bool:
    """Whether the token's words hold a percent sign or word: "42%", "39 per cent" (not "50 Cent")."""
    return any(t.text == "%" or t.lower_ == "percent" or (t.lower_ == "cent" and t.i > 0 and t.doc[t.i - 1].lower_ == "per")
               for t in token.subtree)


def _is_figure(token: Token) -> bool:
    """A noun that is another figure's unit ("euros" of "400m euros"): "profits of 400m euros" is "profits"."""
    return any(left.dep_ in ("nummod", "amod", "compound", "quantmod", "nmod")
               and any(ch.isdigit() for t in left.subtree for ch in t.text)
               and not is_percent(left)  # "the 33% stake"
               for left in token.lefts)


def _np_tokens(head: Token, exclude: set[int], preps: bool, depth: int) -> list[Token]:
    tokens = [head]
    for left in head.lefts:
        if left.i in exclude or left.dep_ not in NP_LEFT:
            continue
        if left.dep_ == "poss" and left.lower_ in PRONOUNS:
            continue
        tokens.extend(t for t in left.subtree if t.i not in exclude)
    if preps and depth < 3:
        for right in head.rights:
            if right.i in exclude:
                continue
            if right.dep_ in ("compound", "amod", "hyph") and right.i == head.i + 1:
                tokens.append(right)
            elif right.dep_ == "prep" and right.lower_ in NP_PREPS:
                obj = child(right, "pobj")
                # "referrals to children's social care", not "bombings in the city" or "in March"
                if obj is not None and obj.i not in exclude and not is_numberish(obj) and not _is_figure(obj) \
                        and not (right.lower_ in ("in", "at", "from") and _place_or_time(obj)):
                    tokens.append(right)
                    tokens.extend(_np_tokens(obj, exclude, preps, depth + 1))
                    # "children in care and those leaving it": stop before conjuncts
            elif right.dep_ == "case":
                tokens.append(right)
    return tokens
