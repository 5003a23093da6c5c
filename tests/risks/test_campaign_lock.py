"""Every state change of a filing locks the campaign's row first, then the
filing's (F12): a campaign closing meanwhile is seen, and two changes always
take their locks in the same order. The SQL is checked on PostgreSQL (SQLite
has no row locks); the behaviour everywhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaign.models import Campaign, CampaignClosed
from risks import services
from tests.risks.filing_helpers import make_point


def _locks(queries):
    return [q["sql"] for q in queries if " FOR " in q["sql"]]


def test_the_campaign_is_locked_before_the_filing(postgres, risk_org):
    filing = risk_org["filing"]
    with CaptureQueriesContext(connection) as captured:
        services.save_draft(filing.pk, risk_org["staff"], expected_version=0, write=lambda f: None)
    locks = _locks(captured.captured_queries)
    assert 'FROM "campaign_campaign"' in locks[0] and "FOR NO KEY UPDATE" in locks[0]
    assert 'FROM "risks_filing"' in locks[1] and "FOR UPDATE" in locks[1]


@pytest.mark.parametrize("change", ["save_draft", "submit_filing", "open_revision"])
def test_a_campaign_closed_meanwhile_is_refused(risk_org, change):
    filing, staff = risk_org["filing"], risk_org["staff"]
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    Campaign.objects.filter(pk=filing.campaign_id).update(status=Campaign.Status.CLOSED)
    calls = {
        "save_draft": lambda: services.save_draft(
            filing.pk, staff, expected_version=0, write=lambda f: None
        ),
        "submit_filing": lambda: services.submit_filing(filing.pk, staff),
        "open_revision": lambda: services.open_revision(filing.pk, staff),
    }
    with pytest.raises(CampaignClosed):
        calls[change]()
