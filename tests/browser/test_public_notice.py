"""Journey 4: the office publishes the external power catalogue with a public
link; someone outside the unit, with a fresh browser and no account, opens
the link and reads the notice and the supervision phone — no login page."""

import pytest
from playwright.sync_api import expect

from campaign.models import Stage
from publicity.models import Window

from .builders import (
    SUPERVISION_PHONE,
    UNIT_NAME,
    advance_to,
    approved_external_power,
    section_with_people,
    unit_with_office,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_public_notice_without_login(site, sign_in, fresh_page, shot):
    unit, campaign, office = unit_with_office()
    section, head, _staff = section_with_people(unit)
    advance_to(campaign, office, Stage.Kind.POWERS)
    external = approved_external_power(campaign, office, section, head)
    advance_to(campaign, office, Stage.Kind.PUBLICITY)

    # The office opens a publicity window with a public link -----------------
    page = sign_in(office)
    page.locator("nav.app-navbar").get_by_role("link", name="公示").click()
    page.get_by_role("link", name="发布和管理公示").click()
    form = page.get_by_test_id("window-form")
    form.get_by_label("职权目录和权力运行流程图").check()
    form.get_by_label("同时向社会公开").check()
    expect(form.get_by_label("监督电话")).to_have_value(SUPERVISION_PHONE)
    shot(page, "01-open-window")
    form.get_by_role("button", name="发布公示").click()
    expect(page.locator(".app-messages")).to_contain_text("公示已发布")
    expect(page.get_by_test_id("window-state")).to_have_text("公示中")
    link = page.get_by_test_id("public-link")
    expect(link).to_be_visible()
    shot(page, "02-window-with-public-link")
    url = link.get_attribute("href")
    window = Window.objects.get(campaign=campaign)
    assert window.public and window.scope == Window.Scope.POWERS
    assert url == f"{site.url}/publicity/p/{window.token}/"

    # A stranger opens the link in a browser with no cookies --------------------
    public = fresh_page()
    assert public.context.cookies() == []
    response = public.goto(url)
    assert response.status == 200
    assert public.url == url  # not sent to the login page
    expect(public.locator('input[name="password"]')).to_have_count(0)
    expect(public.locator("nav.app-navbar")).to_have_count(0)
    notice = public.get_by_test_id("notice")
    expect(notice).to_contain_text(UNIT_NAME)
    expect(notice).to_contain_text(window.title)
    expect(public.get_by_test_id("notice-state")).to_have_text("公示中")
    expect(public.get_by_test_id("notice-phone")).to_have_text(SUPERVISION_PHONE)
    # Only the external power open to the public, with its flowchart's steps.
    powers = public.get_by_test_id("notice-power")
    expect(powers).to_have_count(1)
    expect(powers).to_contain_text(external.name)
    expect(powers).to_contain_text("审核材料")
    expect(notice).not_to_contain_text("科室办公用品领用审批")
    shot(public, "03-public-notice")
