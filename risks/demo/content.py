"""Every demo risk filing in one table, in the order ``build`` files them:
the investment-promotion sections, then the sections that spend the money,
then 办公室 and the leadership team.

The texts themselves live in one module per section group (``promotion``,
``finance``, ``office``); this one only joins them, so the building code
reads a single table and never a section's words.
"""

from . import finance, office, promotion

# username (or "section:CODE" / "unit") → (state, points, return reason)
FILINGS = {**promotion.FILINGS, **finance.FILINGS, **office.FILINGS}
