"""The campaign history quotes filings (whose form, return reasons, review
opinions): a watcher who may not open a filing reads no line about it."""

from django.urls import reverse

from campaign import approvals
from risks.models import Filing
from tests.risks.oversight_helpers import bring_to, open_step


def history(client, person, campaign):
    client.force_login(person)
    response = client.get(reverse("campaign:history", args=[campaign.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_watchers_read_only_lines_about_filings_they_may_open(client, risk_org):
    campaign = risk_org["campaign"]
    returned = bring_to(risk_org["filing"], "submitted", risk_org)
    approvals.return_for_changes(
        open_step(returned).pk, risk_org["head"], reason="这位同事的廉政风险点写得过于笼统"
    )
    colleague = Filing.objects.get(campaign=campaign, owner=risk_org["colleague"])
    bring_to(colleague, "approved", risk_org)

    office = history(client, risk_org["office"], campaign)
    assert "这位同事的廉政风险点写得过于笼统" in office
    assert str(risk_org["colleague"]) in office

    auditor = history(client, risk_org["auditor"], campaign)
    assert "这位同事的廉政风险点写得过于笼统" not in auditor
    assert f"{risk_org['staff']}的个人岗位风险点登记表" not in auditor
    # Approved filings are the auditor's to read, and so are their lines.
    assert f"{risk_org['colleague']}的个人岗位风险点登记表" in auditor
    # Lines about no filing (the stages) stay.
    assert "开始“" in auditor


def test_the_history_page_runs_a_fixed_number_of_queries(
    client, risk_org, django_assert_max_num_queries
):
    bring_to(risk_org["filing"], "approved", risk_org)
    client.force_login(risk_org["auditor"])
    with django_assert_max_num_queries(25):
        client.get(reverse("campaign:history", args=[risk_org["campaign"].pk]))
