"""find_subject: the named body or person a figure belongs to when it is not a council (real model)."""
import pytest

from pipeline.meaning.subject import find_subject

pytestmark = pytest.mark.model


@pytest.mark.parametrize("sentence,number,expected", [
    ("Ofsted inspected 31 nurseries in the county.", "31", "Ofsted"),  # from models/other_bodies.csv
    ("Network Rail will spend £40m on the station.", "£40m", "Network Rail"),
    ("Microsoft cut 1,800 jobs in Europe.", "1,800", "Microsoft"),
])
def test_subject_found(parsed, sentence, number, expected):
    assert find_subject(*parsed(sentence, number)) == expected


@pytest.mark.parametrize("sentence,number,speaker", [
    ("The county spent £3m on its parks.", "£3m", None),  # nobody but the council
    ("Bristol City Council will spend £12m on housing.", "£12m", None),  # a council has its own columns
    ("Jane Porter said the repairs would cost £2m.", "£2m", "Jane Porter"),  # the speaker states it, does not own it
])
def test_no_subject(parsed, sentence, number, speaker):
    sent, start, end = parsed(sentence, number)
    assert find_subject(sent, start, end, speaker=speaker) is None
