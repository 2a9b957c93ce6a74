"""measure: what a number counts or is spent on, from the words around it."""
import pytest

from pipeline.meaning.measure import find_measure, noun_phrase


def measure(sentence: str, number: str, kind: str) -> str | None:
    start = sentence.index(number)
    return find_measure(sentence, start, start + len(number), kind)


@pytest.mark.parametrize("sentence,number,kind,expected", [
    ("The council currently has 1,137 looked-after children, far more than others.", "1,137", "count", "looked-after children"),
    ("Norfolk County Council has placed social workers in six schools to offer support.", "six", "count", "schools"),
    ("Twenty full-time firefighters will lose their jobs.", "Twenty", "count", "full-time firefighters"),
    ("At least 600 hectares - or 1,500 acres - of farmland were flooded.", "1,500 acres", "quantity", "farmland"),
    ("Residents waited 18 weeks for repairs.", "18 weeks", "duration", "repairs"),
    ("Staff lose two working days to the new system.", "two working days", "duration", "working days"),
    ("The council will spend an extra £3.9 million on its children’s safeguarding service in 2018-19.", "£3.9 million", "money", "children’s safeguarding service"),
    ("It was already forecasting a £1 million overspend.", "£1 million", "money", "overspend"),
    ("By 2025, the funding gap for children’s services is expected to rise to £3.1bn.", "£3.1bn", "money", "funding gap for children’s services"),
    ("The council had seen a 17% increase in referrals to children’s social care over the past year.", "17%", "percent", "referrals to children’s social care"),
    ("Gloucestershire council is to increase its budget for vulnerable children by almost 30% as it deals with demand.", "30%", "percent", "budget for vulnerable children"),
    ("Nearly 90% of senior managers said so.", "90%", "percent", "senior managers"),
    ("In 2017-18, nine out of 10 councils were already overspending.", "nine out of 10", "ratio", "councils"),
    ("Its looked-after children population is forecast to reach almost 700 by March.", "700", "count", "looked-after children"),
    ("the number of looked-after children will have risen to 1,360 by 2017", "1,360", "count", "looked-after children"),
    # a multiplier: what the clause is about, not the comparative after it
    ("Bus fares are now three times higher than in 2010.", "three times", "ratio", "Bus fares"),
    ("Four times the usual rainfall fell in March.", "Four times", "ratio", "usual rainfall"),
])
def test_find_measure(sentence, number, kind, expected):
    assert measure(sentence, number, kind) == expected


@pytest.mark.parametrize("sentence,number,kind", [
    ("costing the authority an additional £12m over three years.", "£12m", "money"),  # nothing says what for
    ("It rose to 50,000.", "50,000", "count"),
    ("The link runs up to 12 times faster than copper lines.", "12 times", "ratio"),  # not "faster"
])
def test_no_measure_rather_than_a_wrong_one(sentence, number, kind):
    assert measure(sentence, number, kind) is None


@pytest.mark.parametrize("text,expected", [
    ("looked-after children, far more", "looked-after children"),
    ("the council’s budget was cut", "council’s budget"),
    (" to the council", None),
])
def test_noun_phrase(text, expected):
    assert noun_phrase(text) == expected
