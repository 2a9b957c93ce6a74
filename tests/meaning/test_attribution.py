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
    # a speaker inside a relative clause, and a relative clause trailing a speaker
    ("Ten depots will close under a plan which the unions say would cost 900 jobs.", "900", "the unions"),
    ("Dr Amy Lowe, who chairs the panel of eleven auditors, said the deficit was £6m.", "£6m", "Dr Amy Lowe"),
    ("Sales rose 3.1%, short of the 4.2% which the ministry had predicted.", "4.2%", "the ministry"),  # the noun it describes
    ("Sales rose by more than the 4,000 units that analysts had forecast.", "4,000", "analysts"),  # the noun the number counts
    ("Harris - who would not name the buyer - said the land fetched £2m.", "£2m", "Harris"),  # no dash of the aside
])
def test_speaker_found(parsed, sentence, number, expected):
    assert attribution_from_parse(*parsed(sentence, number)) == expected


@pytest.mark.parametrize("sentence,number", [
    ("The library lent 52,000 books last year.", "52,000"),  # nobody states it
    ("She said the bill came to £1,400.", "£1,400"),  # a pronoun is nobody named
    ("About 70% of tenants said the repairs were slow.", "70%"),  # the figure's own subject, not a source
    # a relative clause's reporting verb speaks for its own clause only
    ("Ten depots will close under a plan which the unions say would cost 900 jobs.", "Ten"),
    ("Sales rose 3.1%, short of the 4.2% which the ministry had predicted.", "3.1%"),
    ("It turned down an offer which the firm raised to £8m after the owners said it was too low.", "£8m"),
])
def test_no_speaker(parsed, sentence, number):
    assert attribution_from_parse(*parsed(sentence, number)) is None
