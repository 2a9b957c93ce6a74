"""Numbers in text, by job: lexicon (word lists from models/ and the patterns built from them),
candidates (digits and number words read into money, percent and counts), vetoes (why a candidate
is not a claim), quantities (units) and ratios (shares). The number_finder component runs them."""
