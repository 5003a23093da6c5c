"""Measuring one case: warm-up, N timed runs, one traced run; and the table.

A case is an object with ``name``, ``label``, ``who``, ``target``, ``warmup``
and four methods: ``prepare()`` once, then for every run ``before()`` (not
timed), ``run()`` (timed) and ``after()`` (not timed). The figures:

* **median** of the ``runs`` timed runs, after ``warmup`` untimed ones (the
  first request of a page compiles its templates, fills Django's caches …);
* **queries** of one more run, counted with
  :class:`django.test.utils.CaptureQueriesContext`;
* **peak memory** of that same run, from :mod:`tracemalloc` (which slows
  Python down, hence a run of its own that is not timed).
"""

import gc
import statistics
import time
import tracemalloc
import unicodedata
import warnings
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Target:
    seconds: float
    queries: int | None = None
    megabytes: float | None = None

    def text(self) -> str:
        parts = [f"≤{self.seconds:g} s"] if self.seconds >= 1 else [f"≤{self.seconds * 1000:g} ms"]
        if self.queries is not None:
            parts.append(f"≤{self.queries} q")
        if self.megabytes is not None:
            parts.append(f"≤{self.megabytes:g} MB")
        return ", ".join(parts)


@dataclass
class Result:
    name: str
    label: str
    who: str
    target: Target
    times: list = field(default_factory=list)
    queries: int | None = None
    queries_capped: bool = False
    peak: int | None = None
    error: str = ""

    @property
    def median(self):
        return statistics.median(self.times) if self.times else None

    @property
    def verdict(self) -> str:
        if self.error:
            return "FAIL"
        misses = []
        if self.median is None or self.median > self.target.seconds:
            misses.append("time")
        if self.target.queries is not None and (
            self.queries is None or self.queries > self.target.queries
        ):
            misses.append("queries")
        if self.target.megabytes is not None and (
            self.peak is None or self.peak > self.target.megabytes * 1e6
        ):
            misses.append("memory")
        return "MISS" if misses else "OK"


def measure(case, runs: int, *, trace=True) -> Result:
    result = Result(case.name, case.label, case.who, case.target)
    case.planned = case.warmup + runs + (1 if trace else 0)
    try:
        case.prepare()
        result.label = case.label
        for _ in range(case.warmup):
            _once(case)
        for _ in range(runs):
            result.times.append(_once(case))
        if trace:
            result.queries, result.queries_capped, result.peak = _traced(case)
    except Exception as exc:  # one broken case must not stop the others
        result.error = f"{exc.__class__.__name__}: {exc}"[:300]
    finally:
        cleanup = getattr(case, "cleanup", None)
        if cleanup is not None:
            cleanup()
    return result


def _once(case) -> float:
    case.before()
    try:
        started = time.perf_counter()
        case.run()
        return time.perf_counter() - started
    finally:
        case.after()


def _traced(case):
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(1)
        return execute(sql, params, many, context)

    case.before()
    try:
        gc.collect()
        reset_queries()
        tracemalloc.start()
        try:
            with (
                warnings.catch_warnings(),
                connection.execute_wrapper(count),
                CaptureQueriesContext(connection) as queries,
            ):
                warnings.filterwarnings("ignore", message="Limit for query logging exceeded")
                case.run()
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    finally:
        case.after()
    # Django's query log keeps the last 9,000 queries: past that, count them
    # as they are executed.
    limit = connection.queries_log.maxlen
    overflowed = limit is not None and len(connection.queries_log) >= limit
    return (len(executed) if overflowed else len(queries)), False, peak


# The table -----------------------------------------------------------------------


def width(text: str) -> int:
    """Columns a terminal gives ``text`` (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right=False) -> str:
    gap = " " * max(size - width(text), 0)
    return gap + text if right else text + gap


def duration(seconds) -> str:
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.0f} ms"


COLUMNS = [
    ("case", False),
    ("what", False),
    ("signed in as", False),
    ("median", True),
    ("min–max", True),
    ("queries", True),
    ("peak mem", True),
    ("target", False),
    ("", False),
]


def table(results) -> str:
    rows = []
    for r in results:
        spread = f"{duration(min(r.times))}–{duration(max(r.times))}" if len(r.times) > 1 else "—"
        queries = "—" if r.queries is None else f"{'≥' if r.queries_capped else ''}{r.queries}"
        peak = "—" if r.peak is None else f"{r.peak / 1e6:.1f} MB"
        rows.append(
            [
                r.name,
                r.label,
                r.who,
                duration(r.median),
                spread,
                queries,
                peak,
                r.target.text(),
                r.verdict,
            ]
        )
    sizes = [
        max([width(title), *(width(row[i]) for row in rows)])
        for i, (title, _right) in enumerate(COLUMNS)
    ]
    lines = [
        "  ".join(pad(title, sizes[i], right) for i, (title, right) in enumerate(COLUMNS)).rstrip(),
        "  ".join("-" * size for size in sizes),
    ]
    for row in rows:
        lines.append(
            "  ".join(pad(cell, sizes[i], COLUMNS[i][1]) for i, cell in enumerate(row)).rstrip()
        )
    for r in results:
        if r.error:
            lines.append(f"{r.name}: {r.error}")
    return "\n".join(lines)
