"""Cutting a sequence into groups by size: batches of articles by characters
(pipeline/processing.py) and ner's excerpts by tokens (pipeline/components/entity_gate.py)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def sized_groups(items: Iterable[T], size: Callable[[T], int], limit: int,
                 most: int | None = None) -> Iterator[list[T]]:
    """`items` in order, in groups whose sizes add up to at most `limit` (an item larger than that
    goes alone) and, when `most` is given, of at most `most` items."""
    group: list[T] = []
    total = 0
    for item in items:
        length = size(item)
        if group and (total + length > limit or (most is not None and len(group) >= most)):
            yield group
            group, total = [], 0
        group.append(item)
        total += length
    if group:
        yield group
