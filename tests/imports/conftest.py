"""Helpers for the import tests: workbooks built in memory, and the office
of a unit."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.roles import Role
from tests.factories import SectionFactory, UnitFactory, UserFactory


def xlsx(rows, *, sheets=None, title="Sheet1") -> bytes:
    """A workbook whose first sheet holds ``rows`` (the first is the header);
    ``sheets`` adds more sheets by name."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for name, extra_rows in (sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in extra_rows:
            extra.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name="名册.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def unit(db):
    return UnitFactory(name="江川区投资促进办公室")


@pytest.fixture
def office(unit):
    section = SectionFactory(unit=unit, name="办公室", code="BGS", display_order=10)
    return UserFactory(
        section=section, roles=[Role.OFFICE], employee_no="JC101", full_name="骆嘉禾"
    )


@pytest.fixture
def campaign(unit, office):
    """A running campaign whose office is ``office``."""
    from campaign.models import Campaign
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(unit=unit, by=office, title="2026年度廉政风险防控工作")
    campaign.status = Campaign.Status.RUNNING
    campaign.save(update_fields=["status"])
    return campaign
