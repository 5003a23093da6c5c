"""The demo campaign's power catalogues: each of the six demo sections lists
the powers an investment-promotion office exercises, with legal bases and
flowcharts of the key ones. Every text is invented for the demo.

``manage.py load_demo`` imports ``powers.demo`` and calls ``load(context)``;
this package keeps that entry point (and the names the old ``powers/demo.py``
module exported) while the invented texts and the code that files them live
apart:

* ``spec`` — the ``power(...)`` / ``step(...)`` shorthand the texts are written in;
* ``office``, ``promotion``, ``finance`` — each section group's catalogue;
* ``content`` — all catalogues in one table, their second revisions and plans;
* ``build`` — ``load`` and the steps that file, submit, approve, return and
  revise them through the real services.
"""

from .build import CAMPAIGN_TITLE, load
from .content import CATALOGUES

__all__ = ["CAMPAIGN_TITLE", "CATALOGUES", "load"]
