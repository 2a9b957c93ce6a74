"""attribution: who states a figure."""
import pytest

from pipeline.meaning.attribution import find_attribution


@pytest.mark.parametrize("sentence,before,expected", [
    ("A report submitted to the council said: “Numbers have increased from 1015 to 1107.", "", "A report submitted to the council"),
    ("The report said the model was already forecasting a £1 million overspend.", "", "The report"),
    ("Based on projections, the authority predicts that the number will rise to 1,360 by 2017.", "", "the authority"),
    ("Gloucestershire’s medium-term financial strategy said the council had seen a 17% increase.", "", "Gloucestershire’s medium-term financial strategy"),
    ("The number rose by 124 per cent, according to the Local Government Association.", "", "the Local Government Association"),
    ("“We will spend £5m,” said Cliff Jordan.", "", "Cliff Jordan"),
    ("“The number has increased by 124 per cent over the past decade.", "Cllr Richard Watts, Chair of the LGA board, said:", "Cllr Richard Watts, Chair of the LGA board"),
    ("An inquiry has found that nearly 90% of senior managers struggle.", "", "An inquiry"),
])
def test_speaker_found(sentence, before, expected):
    assert find_attribution(sentence, before) == expected


@pytest.mark.parametrize("sentence", [
    "The council currently has 1,137 looked-after children.",
    "It said the total was £3m.",  # a pronoun is not an attribution
])
def test_no_speaker(sentence):
    assert find_attribution(sentence) is None
