"""The risk filing tables auditors export, registered with the export centre
(campaign.exports) when the app is ready:

* the personal (post) table, one sheet per person — 个人岗位廉政风险点识别及防控措施表;
* the section table and the unit (leadership team) table, of the same shape;
* the unit-wide register — 风险点和等级目录汇总表;
* the statistics table — 风险排查及风险评估汇总表, with one column per grade
  level and per risk category of the campaign.

Every table reads filings through ``risks.access.visible_filings``: an
auditor never gets a filing that is not approved.

The register's columns are also what ``risks/imports.py`` reads, so a
register exported from one campaign imports into another unchanged.

The tables live in ``filings`` (personal, section, unit) and ``summaries``
(register, statistics), on what they share in ``common``. Each registers
its tables when imported; importing this package imports both, filings
first, so the export centre lists them in the same order as ever. The names
below are the ones ``risks.tables`` has always offered.
"""

# Registration happens at import: ``filings`` must come before ``summaries``.
from .common import (
    CHUNK_SIZE,
    DATE_BLANK,
    DATE_FORMAT,
    FILING_CHUNK_SIZE,
    HANDLING,
    LINES,
    MEASURES_GROUP,
    MONITORING,
    PERSONAL_KIND,
    PREVENTION,
    SIGN_BLANK,
    TIME_FORMAT,
    UNIT_LABEL,
    measure_columns,
)
from .filings import (
    FILING_COLUMNS,
    PERSONAL,
    SECTION,
    UNIT,
    filing_footer,
    personal_parts,
    point_row,
    section_parts,
    unit_parts,
)
from .summaries import (
    REGISTER,
    STATUSES,
    register_points,
    register_rows,
    statistics_rows,
    statistics_table,
)

__all__ = [
    "CHUNK_SIZE",
    "DATE_BLANK",
    "DATE_FORMAT",
    "FILING_CHUNK_SIZE",
    "FILING_COLUMNS",
    "HANDLING",
    "LINES",
    "MEASURES_GROUP",
    "MONITORING",
    "PERSONAL",
    "PERSONAL_KIND",
    "PREVENTION",
    "REGISTER",
    "SECTION",
    "SIGN_BLANK",
    "STATUSES",
    "TIME_FORMAT",
    "UNIT",
    "UNIT_LABEL",
    "filing_footer",
    "measure_columns",
    "personal_parts",
    "point_row",
    "register_points",
    "register_rows",
    "section_parts",
    "statistics_rows",
    "statistics_table",
    "unit_parts",
]
