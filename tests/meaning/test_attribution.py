"""attribution_from_parse: who states a figure, from the dependency parse (real model)."""
import pytest

from pipeline.meaning.attribution import attribution_from_parse

pytestmark = pytest.mark.model


@pytest.mark.parametrize("sentence,number,expected", [
    ("The finance director warned that the shortfall could reach £14m.", "£14m", "The finance director"),
    ("An audit by the regional health board found 230 missed appointments.", "230", "An audit by the regional health board"),
    ("“We expect to save £2.5m,” said Priya Shah, the cabinet member for resources.", "£2.5m", "Priya Shah, the cabinet member for resources"),
    ("Derby's ten-year transport plan said bus journeys would fall by 6%.", "6%", "Derby's ten-year transport plan"),
    ("The backlog grew by 40%, according to the Institute for Fiscal Studies.", "40%", "the Institute for Fiscal Studies"),
])
def test_speaker_found(parsed, sentence, number, expected):
    assert attribution_from_parse(*parsed(sentence, number)) == expected


@pytest.mark.parametrize("sentence,number", [
    ("The library lent 52,000 books last year.", "52,000"),  # nobody states it
    ("She said the bill came to £1,400.", "£1,400"),  # a pronoun is nobody named
    ("About 70% of tenants said the repairs were slow.", "70%"),  # the figure's own subject, not a source
])
def test_no_speaker(parsed, sentence, number):
    assert attribution_from_parse(*parsed(sentence, number)) is None
