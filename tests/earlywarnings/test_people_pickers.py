"""The people pickers of the deduction, warning and disposal forms stay usable
for a unit of thousands: the unit's active people only, grouped and ordered
by section, labelled "姓名（科室）", with a filter box (people.js), and
rendered in a fixed number of queries however many people there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from earlywarnings.forms import DeductionForm, DisposalForm, WarningForm
from tests.factories import SectionFactory, UserFactory

PICKERS = [
    (DeductionForm, "person"),
    (WarningForm, "person"),
    (DisposalForm, "responsible"),
    (DisposalForm, "reporter"),
]


@pytest.fixture
def people(org):
    first = SectionFactory(unit=org.unit, name="办公室", display_order=1)
    last = SectionFactory(unit=org.unit, name="综合科", display_order=99)
    return {
        "late": UserFactory(section=last, full_name="孙后排"),
        "early": UserFactory(section=first, full_name="赵前排"),
        "gone": UserFactory(section=first, full_name="钱离职", is_active=False),
        "leader": UserFactory(
            section=None, unit=org.unit, rank=User.Rank.LEADER, full_name="李局长"
        ),
    }


@pytest.mark.parametrize(("form_class", "name"), PICKERS)
def test_labels_and_order(org, people, form_class, name):
    html = str(form_class(user=org.office)[name])
    assert "赵前排（办公室）" in html and "孙后排（综合科）" in html
    assert "李局长（单位领导）" in html
    assert html.index("赵前排（办公室）") < html.index("孙后排（综合科）")
    assert '<optgroup label="办公室">' in html
    assert "钱离职" not in html  # not active
    assert org.outsider.full_name not in html  # another unit
    assert "data-person-picker" in html


@pytest.mark.parametrize(("form_class", "name"), PICKERS)
def test_rendering_does_not_grow_with_the_people(org, people, form_class, name):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            str(form_class(user=org.office)[name])
        return len(captured)

    queries()  # warm up: the person's standing is cached on first use
    few = queries()
    for n in range(40):
        UserFactory(section=SectionFactory(unit=org.unit), full_name=f"新人{n}")
    assert queries() == few == 1  # one query of people with their sections


def test_the_pages_load_the_filter_box(client, org):
    client.force_login(org.office)
    for name in ("earlywarnings:deduction_create", "earlywarnings:create"):
        html = client.get(reverse(name)).content.decode()
        assert "earlywarnings/people.js" in html and "输入姓名或科室筛选" in html


def test_a_chosen_person_is_still_validated_against_the_unit(org, people):
    form = DeductionForm(
        {"person": people["gone"].pk, "points": 1, "reason": "x", "year": 2026}, user=org.office
    )
    assert not form.is_valid() and "person" in form.errors
    form = DeductionForm(
        {"person": people["early"].pk, "points": 1, "reason": "x", "year": 2026}, user=org.office
    )
    assert form.is_valid(), form.errors
