"""The shorthand the demo catalogues are written in: ``power(...)`` and
``step(...)`` rows and short names for publicity and direction.

Shared by the content modules (which write the catalogues) and ``build``
(which files them).
"""

from ..models import Power

PUBLIC = Power.Publicity.PUBLIC
INTERNAL = Power.Publicity.INTERNAL
UNPUBLISHED = Power.Publicity.UNPUBLISHED
EXT = Power.Direction.EXTERNAL
INT = Power.Direction.INTERNAL


def power(
    name,
    category,
    direction,
    content,
    basis,
    posts,
    *,
    procedure="",
    limit="",
    duty="",
    publicity=INTERNAL,
    reason="",
    steps=(),
):
    return {
        "name": name,
        "category": category,
        "direction": direction,
        "content": content,
        "legal_basis": basis,
        "posts": posts,
        "procedure": procedure,
        "time_limit": limit,
        "responsibility": duty,
        "publicity": publicity,
        "unpublished_reason": reason,
        "steps": steps,
    }


def step(name, post=None, limit="", checks="", risk=False, responsible=""):
    """``post`` is a post of the power's section, or "CODE:岗位" for another section's."""
    return (name, post, responsible, limit, checks, risk)
