"""Benchmark the whole product on a city bureau's volume (GitHub issue #9).

    python manage.py bench [--people 3000] [--sections 120] [--points 30000]
                           [--runs 5] [--only dashboard register …] [--keep]

Needs PostgreSQL, and refuses SQLite. Creates a database of its own beside the
configured one (``<name>_bench``, or ``--database``), builds a synthetic
bureau in it (``acceptance/bench/build.py``: the people, sections, 30,000 risk
points with 60,000 measures, 2,000 signals, reviews in every state …), then
measures every case of ``acceptance/bench/cases.py`` signed in as the person
who uses it: the median of ``--runs`` warm runs, the number of queries and
the peak Python memory of one more run, against its target. The database is
dropped at the end unless ``--keep``; ``--reuse`` measures again on a kept
one without building it anew.
"""

import time
import warnings
from contextlib import ExitStack
from unittest import mock

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from accounts import tasks as account_tasks

from ...bench import build as builder
from ...bench import cases as bench_cases
from ...bench.database import bench_database, bench_name, require_postgresql
from ...bench.measure import measure, table

# What the measured requests run under: production's settings for what
# matters to speed (no query log, HTTPS), the test client's host allowed,
# static files named as in development (no collectstatic needed), no mail.
MEASURING = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["testserver", "127.0.0.1", "localhost"],
    "SECURE_SSL_REDIRECT": False,
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


class Command(BaseCommand):
    help = (
        "在独立的 PostgreSQL 数据库中构造市局规模的单位（3000 人、120 个科室、3 万个风险点），"
        "测量各页面、审批、导出、导入和提醒任务的耗时、查询次数和内存峰值。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=3000)
        parser.add_argument("--sections", type=int, default=120)
        parser.add_argument("--points", type=int, default=30000)
        parser.add_argument("--signals", type=int, default=None, help="default: people × 2/3")
        parser.add_argument("--runs", type=int, default=5, help="timed runs per case")
        parser.add_argument(
            "--only",
            nargs="+",
            default=None,
            metavar="NAME",
            help="measure only these cases: " + ", ".join(bench_cases.NAMES),
        )
        parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="measure on a database kept by an earlier --keep run (no new build)",
        )
        parser.add_argument("--database", default=None, help="default: <configured name>_bench")

    def handle(self, *args, **options):
        cases = self.select(options["only"])
        sizes = builder.Sizes(
            people=options["people"],
            sections=options["sections"],
            points=options["points"],
            signals=options["signals"],
        )
        if sizes.people < 4 * sizes.sections or sizes.sections < 4:
            raise CommandError("Give at least four sections and four people per section.")
        runs = max(1, options["runs"])
        require_postgresql()
        name = bench_name(options["database"])
        started = time.perf_counter()
        with ExitStack() as stack:
            stack.enter_context(override_settings(**MEASURING))
            # Whitenoise's note that collectstatic has not run: beside the point here.
            stack.enter_context(warnings.catch_warnings())
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            # E-mails are a worker's job: the request only queues them.
            stack.enter_context(
                mock.patch.object(account_tasks.send_notification_emails, "delay", _queued)
            )
            self.stdout.write(f"database: {name} (PostgreSQL), built for this run")
            stack.enter_context(bench_database(name, keep=options["keep"], reuse=options["reuse"]))
            bench = builder.find() if options["reuse"] else None
            if bench is None:
                self.stdout.write(
                    f"building: {sizes.people} people, {sizes.sections} sections, "
                    f"{sizes.points} risk points, {sizes.signal_count} signals"
                )
                bench = builder.build(sizes, log=self.stdout.write)
            else:
                self.stdout.write("reusing the unit built by an earlier run")
                # Earlier runs' rolled-back imports and sweeps left dead rows.
                builder.Builder.analyse()
            bench.counts["roster"] = sizes.people
            self.stdout.write(
                "unit: " + ", ".join(f"{v} {k}" for k, v in bench.counts.items() if k != "roster")
            )
            self.stdout.write(
                f"measuring {len(cases)} cases: median of {runs} warm runs; queries and "
                "peak memory (tracemalloc) from one more run"
            )
            results = []
            for case in cases:
                result = measure(case.bind(bench), runs)
                results.append(result)
                self.stdout.write(
                    f"  {result.name:<16} {result.verdict:<4} "
                    + (result.error or f"{(result.median or 0) * 1000:.0f} ms")
                )
            self.stdout.write("")
            self.stdout.write(table(results))
            missed = [r.name for r in results if r.verdict != "OK"]
            summary = (
                f"{len(results) - len(missed)} of {len(results)} cases OK"
                + (f"; not OK: {', '.join(missed)}" if missed else "")
                + f" ({time.perf_counter() - started:.0f} s in all)"
            )
            self.stdout.write(
                self.style.SUCCESS(summary) if not missed else self.style.WARNING(summary)
            )
        if options["keep"]:
            self.stdout.write(
                f"kept database {name}; measure again with: manage.py bench --reuse --keep"
                + (f" --database {name}" if options["database"] else "")
            )
        else:
            self.stdout.write(f"database {name} dropped")

    def select(self, only):
        cases = bench_cases.all_cases()
        if not only:
            return cases
        wanted = [name for item in only for name in item.split(",") if name]
        unknown = sorted(set(wanted) - set(bench_cases.NAMES))
        if unknown:
            raise CommandError(
                f"Unknown case: {', '.join(unknown)}. Known: {', '.join(bench_cases.NAMES)}"
            )
        return [case for case in cases if case.name in wanted]


def _queued(*args, **kwargs):
    """Stands for putting the e-mail task on the broker."""
    return None
