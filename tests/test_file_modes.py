"""Outputs rewritten by a review keep the mode extract gives them (the umask's), not mkstemp's 0600."""
import os
import stat

import pytest

from claim_rows import spend_rows, write_outputs
from pipeline.review.command import refresh_review_outputs
from pipeline.tables.files import claims_frame


@pytest.fixture
def umask_027():
    previous = os.umask(0o027)
    yield 0o640
    os.umask(previous)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_review_rewrite_keeps_the_mode_a_new_file_gets(tmp_path, umask_027):
    write_outputs(claims_frame(spend_rows()), tmp_path)
    refresh_review_outputs(tmp_path)
    for name in ("claims.csv", "claims.parquet", "claims.jsonl", "claims_reviewed.csv", "review_tasks.jsonl",
                 "orphaned_reviews.csv"):
        assert mode(tmp_path / name) == umask_027, name
