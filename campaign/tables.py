"""Declarative definitions of the filing tables auditors export.

A :class:`Table` says *what* a filing table shows: its title, its columns and
how each one gets its value from a row, the block of facts above the column
headers and the sign-off lines under the data. How that looks on paper is
decided once, in :mod:`campaign.xlsx`, so every 登记表、一览表 and 汇总表 shares
the same tested layout and a new table is a few lines of declarations.

Nothing here knows about Django models: a row is any dict or object, so the
same definitions serve querysets, ``values()`` dicts and hand-built summaries.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

KINDS = frozenset({"text", "number", "date", "datetime", "grade"})
ALIGNMENTS = frozenset({"left", "center", "right"})
ORIENTATIONS = frozenset({"landscape", "portrait"})

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class ExportContext:
    """What one export knows beyond its rows.

    ``exported_at`` must be aware: it is printed on every page, and its time
    zone is the one every ``datetime`` column is shown in (pass
    ``timezone.localtime()``), because Excel cells cannot carry a time zone.
    ``grade_colours`` maps a grade label ("高", "一级", "红") to "#RRGGBB";
    it lives here rather than on the table because a unit configures its own
    grading scheme. ``extra`` carries whatever a table's callables need
    (the person filing, a pledge text, review opinions).
    """

    unit_name: str
    campaign_title: str
    exported_at: datetime
    grade_colours: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if self.exported_at.utcoffset() is None:
            raise ValueError("exported_at must be an aware datetime")
        for label, colour in self.grade_colours.items():
            if not _COLOUR.fullmatch(colour):
                raise ValueError(f"grade colour for {label!r} must be #RRGGBB, not {colour!r}")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    The cell value is ``value(row)`` when given, otherwise ``key`` looked up
    on the row: ``row[key]`` for mappings, attributes for objects, following
    dots ("section.name"). A missing link in a dotted path (a person with no
    section) gives an empty cell rather than an error, as it would on paper.

    ``group`` is the text of an upper header row shared by consecutive
    columns, such as "防控措施" over 前期预防/中期监控/后期处置. ``kind``
    decides formatting; a "grade" column holds a grade label and is filled
    with that grade's colour. ``align`` overrides the kind's alignment.
    ``width`` is in Excel character units.
    """

    key: str
    header: str
    width: float = 12
    wrap: bool = True
    group: str | None = None
    kind: str = "text"
    value: Callable[[Any], Any] | None = None
    align: str | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key!r}: unknown kind {self.kind!r}")
        if self.align is not None and self.align not in ALIGNMENTS:
            raise ValueError(f"column {self.key!r}: unknown alignment {self.align!r}")
        if self.width <= 0:
            raise ValueError(f"column {self.key!r}: width must be positive")

    def extract(self, row: Any) -> Any:
        """The raw value of this column for ``row``, before any formatting."""
        if self.value is not None:
            return self.value(row)
        value = row
        for part in self.key.split("."):
            if value is None:
                return None
            value = value[part] if isinstance(value, Mapping) else getattr(value, part)
        return value


@dataclass(frozen=True)
class HeaderRun:
    """Consecutive columns ``first``..``last`` (0-based) under one group, or
    a single ungrouped column (``group`` is None)."""

    group: str | None
    first: int
    last: int


@dataclass(frozen=True)
class Table:
    """A filing table: title, columns and the text around the data.

    ``title`` may contain ``{unit}`` and ``{campaign}``. ``header_block``
    returns (label, value) pairs shown between the title and the column
    headers (姓名、科室、岗位、职级 on a personal table). ``footer_lines`` are
    sign-off lines under the data, or a callable returning them so they can
    carry pledge text and review opinions. ``note`` is an explanatory note
    (填表说明) printed under the data, before the sign-off lines.
    """

    key: str
    title: str
    columns: Sequence[Column]
    header_block: Callable[[ExportContext], Sequence[tuple[str, Any]]] | None = None
    footer_lines: Sequence[str] | Callable[[ExportContext], Sequence[str]] = ()
    orientation: str = "landscape"
    note: str | None = None

    def __post_init__(self):
        # A tuple keeps the frozen table truly immutable and reusable.
        object.__setattr__(self, "columns", tuple(self.columns))
        if not self.columns:
            raise ValueError(f"table {self.key!r} has no columns")
        if self.orientation not in ORIENTATIONS:
            raise ValueError(f"table {self.key!r}: unknown orientation {self.orientation!r}")
        groups = [run.group for run in self.header_runs() if run.group is not None]
        if len(groups) != len(set(groups)):
            # The same group in two places would print two identical merged
            # headers; it is always a column-order mistake.
            raise ValueError(f"table {self.key!r}: the columns of a group must be adjacent")

    @property
    def has_groups(self) -> bool:
        return any(column.group for column in self.columns)

    def header_runs(self) -> list[HeaderRun]:
        """Split the columns into header runs, left to right."""
        runs: list[HeaderRun] = []
        for index, column in enumerate(self.columns):
            group = column.group or None
            if runs and group is not None and runs[-1].group == group:
                runs[-1] = HeaderRun(group, runs[-1].first, index)
            else:
                runs.append(HeaderRun(group, index, index))
        return runs

    def render_title(self, context: ExportContext) -> str:
        return str(self.title).format(unit=context.unit_name, campaign=context.campaign_title)

    def header_pairs(self, context: ExportContext) -> list[tuple[str, Any]]:
        if self.header_block is None:
            return []
        return [(str(label), value) for label, value in self.header_block(context)]

    def render_footer(self, context: ExportContext) -> list[str]:
        lines = self.footer_lines(context) if callable(self.footer_lines) else self.footer_lines
        return [str(line) for line in lines]
