"""The common risk library on the filing form (suggestions for the filer's
post and powers, 采用 into a new row) and the searchable library page."""

import json
from html import unescape

from django.urls import reverse

from accounts.models import Post
from risks import library
from risks.models import LibraryEntry
from tests.factories import PostFactory, PowerFactory, UserFactory
from tests.risks.filing_helpers import add_point, edit_url, form_values, make_point


def adopt_data(html):
    """The entries the panel offers, in order, as the page's script reads them."""
    rows = []
    for chunk in html.split('data-adopt="')[1:]:
        rows.append(json.loads(unescape(chunk[: chunk.index('"')])))
    return rows


def give_post(risk_org, key_type, name, duties=""):
    post = PostFactory(section=risk_org["section"], key_type=key_type, name=name, duties=duties)
    filing = risk_org["filing"]
    filing.post = post
    filing.save()
    return filing


def test_a_money_post_gets_money_entries_first(risk_org, client):
    filing = give_post(risk_org, Post.KeyType.MONEY, "政策兑现经办", "受理招商奖励和扶持资金申请")
    client.force_login(risk_org["staff"])
    html = client.get(edit_url(filing)).content.decode()
    assert "按岗位“政策兑现经办”和本科室职权推荐" in html
    offered = adopt_data(html)
    assert len(offered) >= 3
    codes = [row["id"] for row in offered]
    entries = {e.pk: e for e in LibraryEntry.objects.filter(pk__in=codes)}
    assert all("money" in entries[pk].post_types for pk in codes[:3])
    # The same ranking the library module gives.
    expected = library.suggestions(LibraryEntry.objects.filter(is_active=True), post=filing.post)
    assert codes == [e.pk for e in expected]


def test_powers_of_the_section_steer_the_suggestions(risk_org, client):
    power = PowerFactory(
        catalogue__campaign=risk_org["campaign"],
        catalogue__section=risk_org["section"],
        name="公务用车派车审批",
    )
    client.force_login(risk_org["staff"])
    offered = adopt_data(client.get(edit_url(risk_org["filing"])).content.decode())
    titles = [row["title"] for row in offered]
    assert "公务用车私用" in titles, (power.name, titles)


def test_adopting_fills_a_new_row_saved_only_with_the_form(risk_org, client):
    filing = give_post(risk_org, Post.KeyType.MONEY, "出纳")
    client.force_login(risk_org["staff"])
    response = client.get(edit_url(filing))
    html = response.content.decode()
    entry = adopt_data(html)[0]
    stored = LibraryEntry.objects.get(pk=entry["id"])
    # Everything 采用 copies: title, content, the category by name, one
    # measure per line of defence.
    assert entry["title"] == stored.title and entry["content"] == stored.content
    assert (entry["prevention"], entry["monitoring"], entry["handling"]) == (
        stored.prevention,
        stored.monitoring,
        stored.handling,
    )
    categories = json.loads(
        html[html.index('id="category-ids"') :].split(">", 1)[1].split("</script>")[0]
    )
    assert entry["category"] in categories
    assert not filing.risk_points.exists()  # nothing is saved until the person saves

    # What the page's script does on 采用, then the person edits and saves.
    data = form_values(response)
    prefix = add_point(
        data,
        category=risk_org["campaign"].risk_categories.get(pk=categories[entry["category"]]),
        title=entry["title"] + "（本岗位）",
        content=entry["content"],
        library_entry=str(entry["id"]),
        measures=[
            {"line": "prevention", "text": entry["prevention"]},
            {"line": "monitoring", "text": entry["monitoring"]},
            {"line": "handling", "text": entry["handling"]},
        ],
    )
    assert client.post(edit_url(filing), data).status_code == 302
    point = filing.risk_points.get()
    assert point.library_entry == stored and point.title.endswith("（本岗位）")
    assert point.measures.count() == 3
    assert prefix == "points-0"


def test_the_library_page_searches_by_keyword_area_and_category(risk_org, client):
    client.force_login(risk_org["stranger"])
    url = reverse("risks:library")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "常见廉政风险点库" in html and "共 101 条" in html
    assert "data-adopt" not in html  # read-only: the office edits it in the admin

    html = client.get(url, {"q": "派车"}).content.decode()
    assert "公务用车私用" in html and "虚报冒领" not in html

    html = client.get(url, {"area": "公务用车"}).content.decode()
    assert (
        html.count('<tr>\n          <td class="text-nowrap small">L')
        == LibraryEntry.objects.filter(area="公务用车").count()
    )

    some = LibraryEntry.objects.filter(category_name="思想道德").first()
    html = client.get(url, {"category": "思想道德", "q": some.title}).content.decode()
    assert some.title in html

    html = client.get(url, {"q": "没有这样的词语"}).content.decode()
    assert "没有找到匹配的条目" in html


def test_the_panel_searches_the_library_in_place(risk_org, client):
    client.force_login(risk_org["staff"])
    response = client.get(
        reverse("risks:library"), {"panel": "1", "q": "派车"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert [row["title"] for row in adopt_data(html)][:1] == ["公务用车私用"]


def test_a_retired_entry_is_not_offered(risk_org, client):
    LibraryEntry.objects.filter(title="公务用车私用").update(is_active=False)
    client.force_login(risk_org["staff"])
    html = client.get(reverse("risks:library"), {"q": "派车"}).content.decode()
    assert "公务用车私用" not in html


def test_the_admin_pages_open(risk_org, client):
    """The office maintains the library (and can inspect filings) in the admin."""
    admin_client = client
    admin_client.force_login(UserFactory(is_staff=True, is_superuser=True))
    filing = risk_org["filing"]
    point = make_point(filing, risk_org["category"], risk_org["levels"][2])
    entry = LibraryEntry.objects.first()
    for name in (
        "filing",
        "riskpoint",
        "measure",
        "evidence",
        "pledgetemplate",
        "libraryentry",
        "scoringmodel",
    ):
        response = admin_client.get(reverse(f"admin:risks_{name}_changelist"))
        assert response.status_code == 200, name
    for name, obj in (
        ("filing", filing),
        ("riskpoint", point),
        ("measure", point.measures.get()),
        ("libraryentry", entry),
    ):
        assert (
            admin_client.get(reverse(f"admin:risks_{name}_change", args=[obj.pk])).status_code
            == 200
        ), name
    assert (
        admin_client.get(reverse("admin:risks_filing_history", args=[filing.pk])).status_code == 200
    )
    response = admin_client.get(reverse("admin:risks_libraryentry_changelist"), {"q": "公务用车"})
    assert "公务用车私用" in response.content.decode()
