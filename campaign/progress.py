"""What is still open in a stage, reported by the apps that own the work.

Completing a stage with open work needs a written reason. Each app registers
a function per stage kind returning :class:`OpenWork` lines (unfiled forms,
unreviewed catalogues …); this module only gathers them.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OpenWork:
    label: str
    count: int
    url: str = ""


_reporters: dict[str, list[Callable]] = defaultdict(list)


def register(stage_kind: str, reporter: Callable) -> None:
    """``reporter(campaign) -> Iterable[OpenWork]`` for one kind of stage."""
    if reporter not in _reporters[stage_kind]:
        _reporters[stage_kind].append(reporter)


def open_work(stage) -> list[OpenWork]:
    found = []
    for reporter in _reporters[stage.kind]:
        found.extend(item for item in reporter(stage.campaign) if item.count)
    return found
