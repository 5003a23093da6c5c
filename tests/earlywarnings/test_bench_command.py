"""The benchmark command runs and leaves nothing behind (a smoke test; the
timed run is made by hand with --people 3000)."""

from io import StringIO

from django.core.management import call_command

from accounts.models import Unit
from earlywarnings.models import JobRun


def test_bench_reminders_runs_and_rolls_back(db):
    out = StringIO()
    call_command("bench_reminders", people=20, stdout=out)
    text = out.getvalue()
    assert "20 people" in text and "2 people" in text and "queries" in text
    assert not Unit.objects.filter(name__startswith="提醒基准测试单位").exists()
    assert not JobRun.objects.exists()
