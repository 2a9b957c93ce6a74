"""measure_from_parse: what a figure counts or is spent on, from the dependency parse (real model)."""
import pytest

from pipeline.meaning.measure import measure_from_parse

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
