"""measure_from_parse: what a figure counts or is spent on, from the dependency parse (real model)."""
import pytest
import spacy
from spacy.tokens import Doc, Span

from pipeline.meaning.measure import _is_actor, measure_from_parse

pytestmark = pytest.mark.model


@pytest.mark.parametrize("sentence,number,kind,expected", [
    # the noun the number modifies
    ("The county now cares for 842 foster children.", "842", "count", "foster children"),
    ("There is a £2.6 billion funding shortfall for adult social care.", "£2.6 billion", "money", "funding shortfall for adult social care"),
    ("Seven out of 10 schools were short of teachers.", "Seven out of 10", "ratio", "schools"),
    # the object of a spend verb, through a gerund to what it acts on
    ("The trust will spend an extra £4.4 million on its mental health service.", "£4.4 million", "money", "mental health service"),
    ("The board agreed to invest £600,000 in upgrading the library network.", "£600,000", "money", "library network"),
    # the subject of a change, for every number of it
    ("Its annual budget for road repairs will rise by 12.5%, from £8.2 million to £9.2 million.", "12.5%", "percent", "annual budget for road repairs"),
    ("Its annual budget for road repairs will rise by 12.5%, from £8.2 million to £9.2 million.", "£8.2 million", "money", "annual budget for road repairs"),
    ("Its annual budget for road repairs will rise by 12.5%, from £8.2 million to £9.2 million.", "£9.2 million", "money", "annual budget for road repairs"),
    ("The housing waiting list is expected to grow to 9,000 by next spring.", "9,000", "count", "housing waiting list"),
    ("The town will raise its parking charges by 8%.", "8%", "percent", "parking charges"),
    # a change noun: what changes
    ("Officers recorded a 23% rise in complaints about noise from neighbours.", "23%", "percent", "complaints about noise from neighbours"),
    # "X of Y" and states
    ("About 65% of residents backed the plan.", "65%", "percent", "residents"),
    ("The pension deficit stands at £31m.", "£31m", "money", "pension deficit"),
    # a bracketed equivalent: the noun after the brackets, for both figures; "worth of" reads on
    ("The airline posted a 52bn yen ($480m) loss for the quarter.", "52bn yen", "money", "loss for the quarter"),
    ("The airline posted a 52bn yen ($480m) loss for the quarter.", "$480m", "money", "loss for the quarter"),
    ("The club bought 2m euros ($2.3m) worth of new kit.", "$2.3m", "money", "new kit"),
    # "N out of (every) M things"
    ("Three out of every five shops in the town closed last year.", "Three", "ratio", "shops"),
    ("Shoppers account for six out of every 10 visits to the centre.", "six", "ratio", "visits to the centre"),
    # a price "at" on a verb of selling is its object's
    ("Dealers sold the bonds at 90 roubles ($1.20) on Friday.", "$1.20", "money", "bonds"),
    # the first figure's unit is not what the bracketed one measures: what the first one does
    ("The stake changed hands at 372 roubles ($12) on Monday.", "$12", "money", "stake"),
])
def test_measure_found(parsed, sentence, number, kind, expected):
    assert measure_from_parse(*parsed(sentence, number), kind) == expected


@pytest.mark.parametrize("sentence,number,kind", [
    ("Acme Holdings forecast growth of 4% next year.", "4%", "percent"),  # growth, never the company
    ("It rose to 4,200 in the spring.", "4,200", "count"),  # a pronoun is not a measure
    ("Staff from Brightwell Ltd received 14,000 letters.", "14,000", "count"),  # the letters, not the firm
    ("They want to spend £7m.", "£7m", "money"),  # nothing says on what
])
def test_no_actor_pronoun_or_verb(parsed, sentence, number, kind):
    measure = measure_from_parse(*parsed(sentence, number), kind)
    assert measure in (None, "growth", "letters"), measure


@pytest.mark.parametrize("sentence,number,kind", [
    # a unit the number is in, a place
    ("The reserve covers 1.2 million sq km in the north.", "1.2 million", "count"),
    # a word after a bracketed equivalent that is no noun phrase's head
    ("The tank is 2.5m (8ft) deep at one end.", "8ft", "quantity"),
])
def test_no_place_or_modifier_as_measure(parsed, sentence, number, kind):
    measure = measure_from_parse(*parsed(sentence, number), kind)
    assert measure in (None, "tank"), measure


@pytest.mark.parametrize("words,head,entity,text,actor", [
    # a role before a name is still the name: an actor, not what is measured
    (["MPC", "member", "Paul", "Tucker"], 3, (2, 4, "PERSON"), "MPC member Paul Tucker", True),
    (["Biogen", "Idec"], 1, (0, 2, "ORG"), "Biogen Idec", True),
    # a name inside a longer phrase it does not end ("the Vale of Glamorgan base", a name mislabelled)
    (["Vale", "of", "Glamorgan", "base"], 0, (0, 1, "PERSON"), "Vale of Glamorgan base", False),
    (["Tesco", "shares"], 1, (0, 1, "ORG"), "Tesco shares", False),
])
def test_is_actor(words, head, entity, text, actor):
    doc = Doc(spacy.blank("en").vocab, words=words)
    doc.ents = [Span(doc, entity[0], entity[1], label=entity[2])]
    assert _is_actor(doc, doc[head], text) is actor
