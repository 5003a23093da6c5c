"""The demo campaign's risk filings, in every state a real campaign shows.

``manage.py load_demo`` imports ``risks.demo`` and calls ``load(context)``;
this package keeps that entry point (and every name the old ``risks/demo.py``
module offered) while the invented texts and the code that files them live
apart:

* ``spec`` — the states a filing is left in and the ``Point`` a risk point is told as;
* ``promotion``, ``finance``, ``office`` — each section group's filings, in its people's words;
* ``content`` — all of them in one table, in building order;
* ``build`` — ``load`` and the steps that file, submit, review and return them
  through the real services.
"""

from .build import ACCOUNTABILITY, PREFERRED, TITLE, load
from .content import FILINGS
from .spec import APPROVED, DRAFTING, IN_REVIEW, NOT_STARTED, RETURNED, SUBMITTED, P, Point

__all__ = [
    "ACCOUNTABILITY",
    "APPROVED",
    "DRAFTING",
    "FILINGS",
    "IN_REVIEW",
    "NOT_STARTED",
    "P",
    "PREFERRED",
    "RETURNED",
    "SUBMITTED",
    "TITLE",
    "Point",
    "load",
]
