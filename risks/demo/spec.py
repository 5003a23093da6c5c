"""What a demo risk filing is written in: the states a filing is left in
and the ``Point`` each invented risk point is told as.

Shared by the content modules (which write the points) and ``build`` (which
files them), so neither has to import the other's internals.
"""

from dataclasses import dataclass

NOT_STARTED, DRAFTING, SUBMITTED, IN_REVIEW, RETURNED, APPROVED = (
    "not_started",
    "drafting",
    "submitted",
    "in_review",
    "returned",
    "approved",
)


@dataclass
class Point:
    category: str
    title: str
    content: str
    grade: int  # self grade, 1 = highest
    likelihood: int
    harm: int
    measures: tuple  # (prevention, monitoring, handling); "" leaves a line out
    found_by: tuple = ("self",)
    power: str = ""  # a word of the power's name, when the powers demo made one
    review: tuple | None = None  # (rank, reason) set at the first review step
    final: tuple | None = None  # (rank, reason) set by the leading group
    indicator: str = ""
    ownerless: bool = False  # leave the last measure without an owner (still to settle)


def P(*args, **kwargs):
    return Point(*args, **kwargs)
