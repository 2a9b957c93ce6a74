"""What a figure is per: "£400 a year" -> year, "£5,000 per pupil" -> pupil, "300 visits a month" -> month.

The number finder reads a `per` cue right after a money amount (models/number_cues.csv `per`
rows); this reads the same rows after any figure, with up to three words of its noun between
("1,200 extra places a year"), and "per <noun>" for any noun ("£20 per patient" -> patient).
Frequency words ("twice a month", "three times a week") are not figures of the table (no row:
the number finder does not read "twice", and "times" makes a multiplier, not a count), so they
give no `per`; a counted figure with a period ("12 visits a month") gets per = month.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from pipeline.resources import model_path

_GAP_STOP = frozenset("to over in for by from than and or of on at with as was were is are will would".split())


@lru_cache(maxsize=1)
def _per_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    with open(model_path("number_cues.csv"), encoding="utf-8", newline="") as handle:
        cues = {row["cue"].lower(): row["value"] for row in csv.DictReader(handle) if row["type"] == "per"}
    # "a year", "a-year" (as in "a £100,000-a-year job")
    alternation = "|".join(re.escape(cue).replace("\\ ", "[ \u00a0-]") for cue in sorted(cues, key=len, reverse=True))
    pattern = re.compile(
        rf"^[ \u00a0-]*(?P<gap>(?:[A-Za-z][\w'’-]*[ \u00a0]+){{0,3}}?)(?:(?P<cue>{alternation})|per[ \u00a0]+(?P<noun>(?-i:[a-z]{3,})))\b(?![ \u00a0-]+(?:ago|earlier|before|later|previously|on)\b)",
        re.IGNORECASE,
    )
    return pattern, cues


def find_per(after: str) -> str | None:
    """The `per` of a figure from the text right after it."""
    pattern, cues = _per_pattern()
    match = pattern.match(after[:80])
    if not match:
        return None
    if any(word.lower() in _GAP_STOP for word in match.group("gap").split()):
        return None
    if match.group("cue"):
        return cues[re.sub(r"[\u00a0-]", " ", match.group("cue").lower())]
    noun = match.group("noun").lower()
    if noun in ("cent", "centum", "capita"):
        return "person" if noun == "capita" else None
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
