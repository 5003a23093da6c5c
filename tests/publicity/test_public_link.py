"""What a notice shows and hides: the public link (no login, unguessable,
revocable), external public powers only, approved filings only, names only
when chosen, never anything from early warning; the QR code is the link."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from publicity import services
from publicity.models import Window
from publicity.qr import qr_matrix
from tests.factories import WarningSignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_window(pub):
    return services.open_window(pub.campaign, pub.office, scope=Window.Scope.POWERS, public=True)


def test_the_link_is_unguessable_and_not_the_pk(public_window):
    token = public_window.token
    assert len(token) >= 43  # 32 random bytes, URL-safe: 256 bits
    assert public_window.public_url() == f"/publicity/p/{token}/"
    assert token != str(public_window.pk)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    other = services.open_window(
        public_window.campaign, public_window.opened_by, scope=Window.Scope.REGISTER
    )
    assert other.token is None and other.public_url() == ""


def test_anyone_opens_the_link_without_signing_in(client, pub, public_window):
    response = client.get(public_window.public_url())
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    html = response.content.decode()
    assert pub.unit.name in html and pub.campaign.title in html
    assert "0571-8800 1234" in html
    assert 'data-testid="feedback-form"' in html
    # The internal pages still need a login.
    assert client.get(public_window.get_absolute_url()).status_code == 302


def test_a_wrong_token_is_not_found(client, public_window):
    assert client.get(reverse("publicity:public", args=["x" * 43])).status_code == 404
    assert client.get(reverse("publicity:public", args=[str(public_window.pk)])).status_code == 404
    assert client.get(reverse("publicity:public", args=["a" * 80])).status_code == 404


def test_an_internal_window_has_no_public_link(client, pub):
    window = services.open_window(pub.campaign, pub.office, scope=Window.Scope.POWERS)
    assert window.token is None
    Window.objects.filter(pk=window.pk).update(token="internal-only-token-xyz")
    assert (
        client.get(reverse("publicity:public", args=["internal-only-token-xyz"])).status_code == 404
    )


def test_only_external_public_approved_powers_are_on_the_link(client, pub, public_window):
    html = client.get(public_window.public_url()).content.decode()
    assert pub.external.name in html
    assert "受理申请" in html and "<svg" in html  # its flowchart
    for hidden in (pub.internal, pub.public_internal, pub.secret, pub.unapproved):
        assert hidden.name not in html
    assert "涉及商业秘密" not in html


def test_staff_see_internal_powers_but_never_unpublished_or_unapproved(client, pub, public_window):
    client.force_login(pub.staff)
    html = client.get(public_window.get_absolute_url()).content.decode()
    for shown in (pub.external, pub.internal, pub.public_internal):
        assert shown.name in html
    for hidden in (pub.secret, pub.unapproved):
        assert hidden.name not in html


def test_revoking_the_link_makes_a_new_one(client, pub, public_window):
    old = public_window.public_url()
    client.force_login(pub.office)
    assert client.post(reverse("publicity:regenerate", args=[public_window.pk])).status_code == 302
    public_window.refresh_from_db()
    assert public_window.public_url() != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(public_window.public_url()).status_code == 200


def _dark_modules(svg):
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", svg)}


def test_the_qr_code_encodes_the_link(client, pub, public_window):
    link = settings.SITE_URL.rstrip("/") + public_window.public_url()
    html = client.get(public_window.public_url()).content.decode()
    svg = re.search(r'<svg class="qr-code".*?</svg>', html, re.S).group(0)
    matrix = qr_matrix(link)
    expected = {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert _dark_modules(svg) == expected
    assert link in html
    # The office's page and the printable notice carry the same code.
    client.force_login(pub.office)
    for url in (
        reverse("publicity:window", args=[public_window.pk]),
        public_window.get_absolute_url(),
    ):
        page = client.get(url).content.decode()
        code = re.search(r'<svg class="qr-code".*?</svg>', page, re.S).group(0)
        assert _dark_modules(code) == expected


def test_the_register_shows_approved_filings_only(client, pub):
    window = services.open_window(pub.campaign, pub.office, scope=Window.Scope.REGISTER)
    client.force_login(pub.accountant)
    html = client.get(window.get_absolute_url()).content.decode()
    assert pub.point.title in html and "实行申报材料双人审核" in html
    assert "资金支付审核不严" in html
    assert "草稿中的风险点不应公示" not in html
    assert pub.section.name in html and pub.other.name in html


def test_a_section_notice_shows_that_section_only(client, pub):
    window = services.open_window(
        pub.campaign, pub.office, scope=Window.Scope.SECTION, section=pub.section
    )
    client.force_login(pub.staff)
    html = client.get(window.get_absolute_url()).content.decode()
    assert pub.point.title in html
    assert "资金支付审核不严" not in html


@pytest.mark.parametrize("show_names", [False, True])
def test_names_only_when_chosen(client, pub, show_names):
    window = services.open_window(
        pub.campaign, pub.office, scope=Window.Scope.REGISTER, show_names=show_names
    )
    client.force_login(pub.drafter)
    html = client.get(window.get_absolute_url()).content.decode()
    notice = html.split('data-testid="notice"', 1)[1].split("</article>", 1)[0]
    for name in (pub.staff.full_name, pub.accountant.full_name):
        assert (name in notice) is show_names
    assert pub.drafter.full_name not in notice  # a draft filing: never on a notice


def test_nothing_from_early_warning_ever_appears(client, pub, public_window):
    secret = WarningSignalFactory(
        person=pub.staff,
        source="petition",
        title="举报某科长收受礼金的线索",
        description="保密内容",
    )
    assert secret.confidential
    register = services.open_window(
        pub.campaign, pub.office, scope=Window.Scope.REGISTER, show_names=True
    )
    client.force_login(pub.office)
    pages = [
        client.get(url).content.decode()
        for url in (register.get_absolute_url(), public_window.get_absolute_url())
    ]
    client.logout()
    pages.append(client.get(public_window.public_url()).content.decode())
    for html in pages:
        assert secret.title not in html and "保密内容" not in html and "信访" not in html
