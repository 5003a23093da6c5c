"""Warnings raised by hand, answered and closed; disposals through
planned → reported → evaluated → closed, and the refusals on the way."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import Notification
from campaign.approvals import ReviewError
from earlywarnings import access, services
from earlywarnings.models import Disposal, EarlyWarning, Level, TargetKind

TODAY = date(2026, 5, 4)


@pytest.fixture
def warning(org, frozen):
    with frozen(TODAY):
        return services.raise_warning(
            org.office,
            level=Level.C,
            title="报销审核不严",
            message="请说明情况。",
            respond_by=TODAY + timedelta(days=7),
            person=org.named,
        )


def add(org, warning, **kwargs):
    values = {
        "kind": Disposal.Kind.REMINDER_TALK,
        "responsible": org.head,
        "reporter": org.named,
        "due_on": TODAY + timedelta(days=10),
        "instructions": "提醒谈话",
    }
    values.update(kwargs)
    return services.add_disposal(warning.pk, org.office, **values)


def test_a_warning_by_hand_reaches_the_person(org, warning):
    assert warning.origin == EarlyWarning.Origin.MANUAL and warning.raised_by == org.office
    note = Notification.objects.get(recipient=org.named)
    assert note.kind == Notification.Kind.WARNING
    assert note.url == reverse("earlywarnings:my_warning", args=[warning.pk])
    assert "C级（蓝色）" in note.title


def test_the_whole_disposal_path(org, warning, frozen):
    with frozen(TODAY):
        disposal = add(org, warning)
        assert disposal.status == Disposal.Status.PLANNED
        assert Notification.objects.filter(
            recipient=org.named, kind=Notification.Kind.DISPOSAL
        ).exists()
        assert Notification.objects.filter(
            recipient=org.head, kind=Notification.Kind.DISPOSAL
        ).exists()

        services.report_disposal(disposal.pk, org.named, report="已接受谈话，已整改。")
        disposal.refresh_from_db()
        assert disposal.status == Disposal.Status.REPORTED and disposal.reported_at
        assert Notification.objects.filter(recipient=org.head, title__contains="已报告").exists()

        services.evaluate_disposal(
            disposal.pk, org.discipline, evaluation="整改到位。", adequate=True
        )
        disposal.refresh_from_db()
        assert disposal.status == Disposal.Status.EVALUATED and disposal.adequate is True
        assert disposal.evaluated_by == org.discipline

        services.close_disposal(disposal.pk, org.office)
        disposal.refresh_from_db()
        assert disposal.status == Disposal.Status.CLOSED and disposal.closed_by == org.office

        services.answer_warning(warning.pk, org.named, response="接受预警，已整改。")
        warning.refresh_from_db()
        assert warning.status == EarlyWarning.Status.ANSWERED
        assert Notification.objects.filter(recipient=org.office, title__contains="已答复").exists()

        services.close_warning(warning.pk, org.office, note="办结")
        warning.refresh_from_db()
        assert warning.status == EarlyWarning.Status.CLOSED


def test_refusals_in_the_wrong_state(org, warning, frozen):
    with frozen(TODAY):
        disposal = add(org, warning)
        with pytest.raises(ReviewError, match="待报告"):
            services.evaluate_disposal(disposal.pk, org.office, evaluation="x", adequate=True)
        with pytest.raises(ReviewError, match="待报告"):
            services.close_disposal(disposal.pk, org.office)
        with pytest.raises(ReviewError, match="未办结"):
            services.close_warning(warning.pk, org.office)
        services.report_disposal(disposal.pk, org.named, report="报告")
        with pytest.raises(ReviewError, match="已报告"):
            services.report_disposal(disposal.pk, org.named, report="再报告")
        with pytest.raises(ReviewError, match="已报告"):
            services.close_disposal(disposal.pk, org.office)
        services.evaluate_disposal(disposal.pk, org.office, evaluation="未到位", adequate=False)
        with pytest.raises(ReviewError, match="已评估"):
            services.evaluate_disposal(disposal.pk, org.office, evaluation="x", adequate=True)
        services.close_disposal(disposal.pk, org.office)
        services.close_warning(warning.pk, org.office)
        with pytest.raises(ReviewError, match="已办结"):
            add(org, warning)
        with pytest.raises(ReviewError, match="已办结"):
            services.answer_warning(warning.pk, org.named, response="晚了")
        with pytest.raises(ReviewError, match="已经办结"):
            services.close_warning(warning.pk, org.office)


def test_refusals_to_the_wrong_person(org, warning, frozen):
    with frozen(TODAY):
        disposal = add(org, warning)
        for who in (org.head, org.colleague, org.office):
            with pytest.raises(ReviewError, match="报告人本人"):
                services.report_disposal(disposal.pk, who, report="代写")
        for who in (org.head, org.colleague, org.office):
            with pytest.raises(ReviewError, match="本人"):
                services.answer_warning(warning.pk, who, response="代答")
        services.report_disposal(disposal.pk, org.named, report="报告")
        for who in (org.named, org.head, org.auditor, org.leader, org.outsider):
            with pytest.raises(ReviewError):
                services.evaluate_disposal(disposal.pk, who, evaluation="自评", adequate=True)
            with pytest.raises(ReviewError):
                services.add_disposal(
                    warning.pk,
                    who,
                    kind=Disposal.Kind.REMINDER_TALK,
                    responsible=org.head,
                    reporter=org.named,
                    due_on=TODAY,
                )
            with pytest.raises(ReviewError):
                services.close_warning(warning.pk, who)


def test_a_disposal_needs_people_of_the_unit_and_a_future_date(org, warning, frozen):
    with frozen(TODAY):
        with pytest.raises(ReviewError, match="本单位"):
            add(org, warning, reporter=org.outsider)
        with pytest.raises(ReviewError, match="早于今天"):
            add(org, warning, due_on=TODAY - timedelta(days=1))


def test_section_warnings_are_answered_by_the_section_head(org, frozen):
    with frozen(TODAY):
        warning = services.raise_warning(
            org.discipline,
            level=Level.B,
            title="科室接待超标",
            message="请自查。",
            respond_by=TODAY + timedelta(days=3),
            target_kind=TargetKind.SECTION,
            section=org.section,
        )
        assert warning.scope_label == "单位预警"
        assert access.answerers(warning) == [org.head]
        assert services.default_reporter(warning) == org.head
        with pytest.raises(ReviewError):
            services.answer_warning(warning.pk, org.named, response="x")
        services.answer_warning(warning.pk, org.head, response="已组织自查")


def test_post_and_unit_warnings(org, frozen):
    with frozen(TODAY):
        post_warning = services.raise_warning(
            org.office,
            level=Level.D,
            title="岗位提醒",
            message="注意",
            respond_by=TODAY,
            target_kind=TargetKind.POST,
            post=org.post,
        )
        assert post_warning.scope_label == "岗位预警" and post_warning.section == org.section
        assert access.may_answer(org.named, post_warning)
        assert not access.may_answer(org.colleague, post_warning)
        unit_warning = services.raise_warning(
            org.office,
            level=Level.D,
            title="节前提醒",
            message="廉洁过节",
            respond_by=TODAY,
            target_kind=TargetKind.UNIT,
        )
        assert unit_warning.scope_label == "综合预警"
        everyone = set(
            Notification.objects.filter(title__contains="节前提醒").values_list(
                "recipient", flat=True
            )
        )
        assert {org.named.pk, org.stranger.pk, org.office.pk} <= everyone
        assert org.outsider.pk not in everyone
        assert unit_warning in access.my_warnings(org.stranger)
