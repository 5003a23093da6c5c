"""The whole-product benchmark behind ``python manage.py bench``.

* :mod:`.database` — a database of its own on the PostgreSQL server, created
  (and migrated) for the run and dropped afterwards;
* :mod:`.build` — a synthetic city bureau: thousands of people, hundreds of
  sections, tens of thousands of risk points with their measures, reviews,
  catalogues, signals, warnings, notices and rectifications, written with
  ``bulk_create`` and completed by the real services for a handful of each;
* :mod:`.measure` — the median of N warm runs, the query count and the peak
  Python memory of one case, and the table that reports them;
* :mod:`.cases` — what is measured: every page people use daily, signed in as
  the person who uses it, the filing form, an approval, the register export,
  the roster import and the reminder sweep.
"""
