"""The pipeline's registered components; importing this package registers their factories."""
from pipeline import extensions  # noqa: F401
from pipeline.components import (  # noqa: F401
    article,
    claim_builder,
    claim_parser,
    council_linker,
    entity_gate,
    line_sentences,
    number_finder,
    period_finder,
    publication_dater,
)
