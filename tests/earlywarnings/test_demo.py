"""The demo: warnings of every level, disposals in every state, a
confidential petition, holidays and job runs — and a second load changes
nothing."""

import pytest
from django.core.management import call_command

from earlywarnings.models import (
    Deduction,
    Disposal,
    EarlyWarning,
    Holiday,
    JobRun,
    Level,
    ReminderLog,
    WarningSignal,
    YearlyScore,
)

pytestmark = pytest.mark.django_db

MODELS = [
    WarningSignal,
    Deduction,
    YearlyScore,
    EarlyWarning,
    Disposal,
    Holiday,
    JobRun,
    ReminderLog,
]


def snapshot():
    return {model.__name__: list(model.objects.values().order_by("pk")) for model in MODELS}


def test_the_demo_has_everything_and_loads_once():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    assert set(EarlyWarning.objects.values_list("level", flat=True)) == set(Level.values)
    assert set(Disposal.objects.values_list("status", flat=True)) == set(Disposal.Status.values)
    assert set(EarlyWarning.objects.values_list("target_kind", flat=True)) == {
        "person",
        "post",
        "section",
        "unit",
    }
    assert EarlyWarning.objects.filter(origin="auto").count() >= 3
    petition = WarningSignal.objects.get(source="petition")
    assert petition.confidential and petition.person.username == "jc503"
    assert len({s.source for s in WarningSignal.objects.all()}) >= 5
    assert Holiday.objects.filter(date__year=2026).count() == 7
    assert Holiday.objects.filter(date__year=2027).count() == 7
    assert JobRun.objects.filter(error_count__gt=0).exists()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first
