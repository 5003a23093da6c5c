"""Export the register, import it into a new campaign, export again: the
same content, cell for cell."""

from io import BytesIO

from openpyxl import load_workbook

from campaign import exports
from campaign.models import LeadingGroupMember
from campaign.services import save_leading_group_member
from risks.imports import RegisterImporter
from risks.models import Filing
from tests.exports.conftest import org  # noqa: F401  (the fixture)
from tests.factories import CampaignFactory

FIRST_DATA_ROW = 5


def register_bytes(campaign, user):
    buffer = BytesIO()
    exports.get("register").write(buffer, campaign, user)
    return buffer.getvalue()


def data_rows(data):
    ws = load_workbook(BytesIO(data)).worksheets[0]
    return [[cell.value for cell in row] for row in ws.iter_rows(min_row=FIRST_DATA_ROW)]


def test_register_round_trip(org):  # noqa: F811
    exported = register_bytes(org.campaign, org.office)
    before = data_rows(exported)
    assert len(before) == 6

    target = CampaignFactory(unit=org.unit, by=org.office, title="2027年度廉政风险防控工作")
    # The party secretary leads its leading group too (the unit rows answer to them).
    save_leading_group_member(
        target, org.office, person=org.secretary, role=LeadingGroupMember.Role.LEADER
    )
    importer = RegisterImporter(user=org.office, unit=org.unit, campaign=target)
    outcome = importer.run(exported, dry_run=False, filename="register.xlsx")
    assert outcome.committed, outcome.errors
    assert outcome.new == len(before)
    assert (
        not Filing.objects.filter(campaign=target)
        .exclude(status=Filing.Status.APPROVED)
        .filter(risk_points__isnull=False)
        .exists()
    )

    after = data_rows(register_bytes(target, org.office))
    assert after == before
    # Auditors see the imported filings: they are approved.
    assert data_rows(register_bytes(target, org.auditor)) == before
