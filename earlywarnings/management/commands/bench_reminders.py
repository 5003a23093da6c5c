"""Time the reminder sweep on a throwaway unit of N people.

    python manage.py bench_reminders [--people 3000]

Builds the unit (see ``earlywarnings/benchmark.py``) inside a transaction,
runs every daily job and the monthly reminder for it, prints the seconds and
the number of queries, then rolls everything back. It does the same for N/10
people, to show that the query count does not grow with the unit's size.
E-mails are queued for after the commit, so the rollback sends none.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlywarnings import reminders
from earlywarnings.benchmark import build_unit

TARGET_SECONDS = 60


class Command(BaseCommand):
    help = "测量提醒任务在 N 人单位上的耗时和查询次数（数据在事务中创建并回滚）。"

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=3000)

    def handle(self, *args, **options):
        people = options["people"]
        today = timezone.localdate()
        self.stdout.write(f"database: {connection.vendor}; today: {today.isoformat()}")
        results = [self._measure(size, today) for size in sorted({max(people // 10, 1), people})]
        for size, seconds, queries, runs, build in results:
            per_job = ", ".join(f"{run.job}={run.sent_count}" for run in runs)
            self.stdout.write(
                f"{size:>6} people: sweep {seconds:6.2f} s, {queries:4d} queries "
                f"(build {build:5.1f} s); sent {per_job}"
            )
        small, large = results[0], results[-1]
        verdict = "OK" if large[1] <= TARGET_SECONDS else "TOO SLOW"
        self.stdout.write(
            self.style.SUCCESS(
                f"queries for {small[0]} vs {large[0]} people: {small[2]} vs {large[2]}; "
                f"{large[0]} people in {large[1]:.2f} s (target ≤ {TARGET_SECONDS} s): {verdict}"
            )
        )

    def _measure(self, size, today):
        with transaction.atomic():
            started = time.perf_counter()
            unit = build_unit(size, today)
            build = time.perf_counter() - started
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                runs = reminders.run_sweep(today, unit.pk)
                seconds = time.perf_counter() - started
            failed = [run for run in runs if run.error_count]
            for run in failed:
                self.stderr.write(f"{run.job}: {run.error_text}")
            transaction.set_rollback(True)
        return size, seconds, len(queries), runs, build
