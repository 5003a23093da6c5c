"""The reminder sweep runs a fixed number of queries, whatever the number of
people: the same for 10 and for 100."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlywarnings import reminders
from earlywarnings.benchmark import build_unit

TODAY = date(2026, 5, 4)
LIMIT = 80


def sweep_queries(people, frozen, django_assert_max_num_queries):
    with frozen(TODAY):
        # One risk point and one measure each keeps SQLite's inserts in one
        # statement (it splits them at 999 parameters); PostgreSQL never splits.
        unit = build_unit(people, TODAY, points_per_person=1, measures_per_point=1)
        with django_assert_max_num_queries(LIMIT), CaptureQueriesContext(connection) as queries:
            runs = reminders.run_sweep(TODAY, unit.pk)
    assert all(run.error_count == 0 for run in runs)
    return len(queries), {run.job: run.sent_count for run in runs}


def test_the_sweep_does_not_grow_with_the_number_of_people(
    db, frozen, django_assert_max_num_queries
):
    small, small_sent = sweep_queries(10, frozen, django_assert_max_num_queries)
    large, large_sent = sweep_queries(100, frozen, django_assert_max_num_queries)
    assert small == large
    assert large_sent["monthly"] == 100 and small_sent["monthly"] == 10
    assert large_sent["holidays"] == 100 and large_sent["measures"] == 100


def test_each_job_alone_does_not_grow(db, frozen):
    counts = {}
    for people in (10, 100):
        with frozen(TODAY):
            unit = build_unit(people, TODAY, points_per_person=1, measures_per_point=1)
            for key in reminders.DAILY_ORDER + ["monthly"]:
                with CaptureQueriesContext(connection) as queries:
                    reminders.run_job(key, today=TODAY, unit_id=unit.pk)
                counts.setdefault(key, []).append(len(queries))
    assert all(small == large for small, large in counts.values()), counts
