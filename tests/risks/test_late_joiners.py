"""People who join after the find-risks stage started (F11): opening "my
filing" while the stage is under way creates theirs; the office creates the
filings of everyone added since with one button on the list of filings.
``services.ensure_filings`` stays idempotent, refuses a closed campaign, and a
race creating the same filing is a message, not a server error (F17)."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign.models import AuditEntry, Campaign, CampaignClosed, Stage
from risks import services
from risks.models import Filing
from tests.factories import SectionFactory, UserFactory


def messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def own_filing(org, person):
    return Filing.objects.filter(
        campaign=org["campaign"], kind=Filing.Kind.PERSONAL, owner=person
    ).first()


@pytest.fixture
def late(risk_org):
    return UserFactory(section=risk_org["section"], full_name="新调入同志")


# "My filing" -------------------------------------------------------------------


def test_a_late_joiner_opening_my_filing_gets_it(client, risk_org, late):
    assert own_filing(risk_org, late) is None
    client.force_login(late)
    response = client.get(reverse("risks:mine"))
    filing = own_filing(risk_org, late)
    assert filing is not None
    assert (filing.section, filing.rank, filing.status) == (
        late.section,
        late.rank,
        Filing.Status.DRAFT,
    )
    assert response.status_code == 302 and response.url == filing.get_absolute_url()
    assert "已为您生成个人岗位风险点登记表，请填写。" in messages(response)
    entry = AuditEntry.objects.get(action="filing.created")
    assert entry.actor == late and "新调入同志" in entry.summary
    # Opening it again just goes there.
    response = client.get(reverse("risks:mine"))
    assert response.url == filing.get_absolute_url()
    assert AuditEntry.objects.filter(action="filing.created").count() == 1


def test_nothing_is_created_once_the_stage_is_over(client, risk_org, late):
    Stage.objects.filter(campaign=risk_org["campaign"], kind=Stage.Kind.RISKS).update(
        status=Stage.Status.DONE
    )
    client.force_login(late)
    response = client.get(reverse("risks:mine"))
    assert response.status_code == 200
    assert "查找风险阶段已经结束" in response.content.decode()
    assert own_filing(risk_org, late) is None


def test_nothing_is_created_for_who_files_nothing(client, risk_org):
    client.force_login(risk_org["auditor"])  # outside any section, not a leader
    count = Filing.objects.count()
    response = client.get(reverse("risks:mine"))
    assert response.status_code == 200
    assert "您不需要填写个人岗位风险点登记表" in response.content.decode()
    assert Filing.objects.count() == count


# The office's button ------------------------------------------------------------


def filings_url(org):
    return reverse("risks:filings", args=[org["campaign"].pk])


def add_filings(client, org, who):
    client.force_login(org[who])
    return client.post(filings_url(org), {"action": "add_filings"}, follow=True)


def test_the_office_creates_the_filings_of_people_and_sections_added_since(client, risk_org, late):
    new_section = SectionFactory(unit=risk_org["campaign"].unit)
    client.force_login(risk_org["office"])
    page = client.get(filings_url(risk_org)).content.decode()
    assert "为新增人员补建登记表" in page and 'data-testid="add-filings"' in page

    response = add_filings(client, risk_org, "office")
    assert response.redirect_chain[-1][0] == filings_url(risk_org)
    assert "已为新增人员和科室补建登记表 2 份。" in messages(response)
    assert own_filing(risk_org, late) is not None
    assert Filing.objects.filter(kind=Filing.Kind.SECTION, section=new_section).exists()
    assert AuditEntry.objects.filter(action="filing.created", actor=risk_org["office"]).exists()

    response = add_filings(client, risk_org, "office")
    assert "所有人员和科室都已有登记表，无需补建。" in messages(response)


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 403), ("head", 403), ("discipline", 403), ("auditor", 403), ("outsider", 404)],
)
def test_only_the_office_creates_filings(client, risk_org, late, who, status):
    client.force_login(risk_org[who])
    assert "为新增人员补建登记表" not in client.get(filings_url(risk_org)).content.decode()
    response = client.post(filings_url(risk_org), {"action": "add_filings"})
    assert response.status_code == status
    assert own_filing(risk_org, late) is None


def test_no_button_and_no_filings_before_the_stage_or_after_closing(client, risk_org, late):
    campaign = risk_org["campaign"]
    Stage.objects.filter(campaign=campaign, kind=Stage.Kind.RISKS).update(
        status=Stage.Status.PENDING
    )
    client.force_login(risk_org["office"])
    assert "为新增人员补建登记表" not in client.get(filings_url(risk_org)).content.decode()
    response = add_filings(client, risk_org, "office")
    assert any("查找风险阶段尚未开始" in m for m in messages(response))
    assert own_filing(risk_org, late) is None

    Stage.objects.filter(campaign=campaign, kind=Stage.Kind.RISKS).update(
        status=Stage.Status.ACTIVE
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    response = add_filings(client, risk_org, "office")
    assert any("已结束并锁定" in m for m in messages(response))
    assert own_filing(risk_org, late) is None


# The service ----------------------------------------------------------------------


def test_ensure_filings_is_idempotent_and_refuses_a_closed_campaign(risk_org, late):
    campaign = risk_org["campaign"]
    assert services.ensure_filings(campaign) == 1
    assert services.ensure_filings(campaign) == 0
    UserFactory(section=risk_org["section"])
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    with pytest.raises(CampaignClosed):
        services.ensure_filings(campaign)  # the object in hand still says "running"


@pytest.fixture
def racing(risk_org, late, monkeypatch):
    """Another request creates the newcomer's filing between the check and the insert."""
    manager = Filing.objects
    insert = manager.bulk_create

    def bulk_create(objs, *args, **kwargs):
        insert(
            [
                Filing(
                    campaign=risk_org["campaign"],
                    kind=Filing.Kind.PERSONAL,
                    owner=late,
                    section=late.section,
                )
            ]
        )
        return insert(objs, *args, **kwargs)

    monkeypatch.setattr(manager, "bulk_create", bulk_create)
    return late


def test_a_race_creating_the_same_filing_is_a_message(risk_org, racing):
    with pytest.raises(ValidationError, match="其他人同时进行了同样的操作"):
        services.ensure_filings(risk_org["campaign"])
    # Rolled back to before the attempt; the database is still usable.
    assert own_filing(risk_org, racing) is None
    assert not AuditEntry.objects.filter(action="filing.created").exists()


def test_a_race_on_my_filing_shows_the_message_not_a_server_error(client, risk_org, racing):
    client.force_login(racing)
    response = client.get(reverse("risks:mine"))
    assert response.status_code == 200
    assert any("其他人同时进行了同样的操作" in m for m in messages(response))
    assert "暂时未能生成您的登记表" in response.content.decode()


def test_a_race_on_the_office_button_shows_the_message(client, risk_org, racing):
    response = add_filings(client, risk_org, "office")
    assert response.status_code == 200
    assert any("其他人同时进行了同样的操作" in m for m in messages(response))
