"""Tests for pipeline/batches.py: groups cut by size and count."""
import pytest

from pipeline.batches import sized_groups


@pytest.mark.parametrize("sizes,limit,most,groups", [
    ([], 10, None, []),
    ([3, 3, 3], 10, None, [[3, 3, 3]]),
    ([3, 3, 3, 3], 10, None, [[3, 3, 3], [3]]),
    ([12, 1, 1], 10, None, [[12], [1, 1]]),  # larger than the limit: alone
    ([1, 12, 1], 10, None, [[1], [12], [1]]),
    ([5, 5, 5], 10, None, [[5, 5], [5]]),  # exactly the limit fits
    ([1, 1, 1, 1, 1], 100, 2, [[1, 1], [1, 1], [1]]),  # at most two items
    ([4, 4, 4, 4], 8, 3, [[4, 4], [4, 4]]),  # the size limit first
])
def test_sized_groups(sizes, limit, most, groups):
    assert list(sized_groups(sizes, lambda n: n, limit, most)) == groups
