"""The unit-wide register of risk points, the list of filings and the
coverage lists."""

import pytest
from django.urls import reverse

from accounts.models import Post
from campaign.models import RiskCategory
from risks import services
from risks.models import Filing, Measure
from tests.factories import (
    CampaignFactory,
    PostFactory,
    PowerFactory,
    RiskPointFactory,
    UserFactory,
)

from .oversight_helpers import add_point, bring_to


@pytest.fixture
def register_org(risk_org):
    """Points in an approved, a submitted and a draft filing, a section
    filing and the unit filing."""
    org = risk_org
    campaign = org["campaign"]
    levels = org["levels"]
    categories = list(RiskCategory.objects.filter(campaign=campaign))
    org["categories"] = categories
    approved = bring_to(org["filing"], "approved", org, title="奖励兑现放宽条件", grade=levels[1])
    colleague = Filing.objects.get(campaign=campaign, owner=org["colleague"])
    bring_to(
        colleague, "submitted", org, title="项目准入打招呼", category=categories[1], grade=levels[2]
    )
    stranger = Filing.objects.get(campaign=campaign, owner=org["stranger"])
    add_point(stranger, title="公车私用", category=categories[2], grade=levels[3], lines=1)
    section_filing = Filing.objects.get(
        campaign=campaign, kind=Filing.Kind.SECTION, section=org["section"]
    )
    add_point(section_filing, title="科室台账缺失", category=categories[3], grade=levels[2])
    unit_filing = Filing.objects.get(campaign=campaign, kind=Filing.Kind.UNIT)
    add_point(unit_filing, title="三重一大未集体决策", category=categories[4], grade=levels[1])
    org.update(approved=approved, colleague_filing=colleague, stranger_filing=stranger)
    org["url"] = reverse("risks:register", args=[campaign.pk])
    return org


def titles(response):
    return [p.title for p in response.context["page"].object_list]


def test_office_sees_every_point_with_its_people(client, register_org):
    client.force_login(register_org["office"])
    response = client.get(register_org["url"])
    assert response.status_code == 200
    assert set(titles(response)) == {
        "奖励兑现放宽条件",
        "项目准入打招呼",
        "公车私用",
        "科室台账缺失",
        "三重一大未集体决策",
    }
    by_title = {p.title: p for p in response.context["page"].object_list}
    point = by_title["奖励兑现放宽条件"]
    assert point.current_level == register_org["levels"][1]
    assert point.line_counts == [1, 1, 1]
    assert point.responsible_head == register_org["head"]
    assert point.responsible_leader == str(register_org["supervisor"])
    assert by_title["公车私用"].line_counts == [1, 0, 0]
    # The unit filing answers to the leading group's leader (the secretary).
    assert by_title["三重一大未集体决策"].responsible_leader == str(register_org["secretary"])
    html = response.content.decode()
    assert 'class="grade-badge"' in html and register_org["levels"][1].colour in html
    assert str(register_org["staff"]) in html


def test_grade_is_final_else_reviewed_else_self(client, register_org):
    levels = register_org["levels"]
    point = register_org["colleague_filing"].risk_points.get()
    point.reviewed_grade = levels[1]
    point.save()
    client.force_login(register_org["office"])
    response = client.get(register_org["url"], {"q": "项目准入"})
    (shown,) = response.context["page"].object_list
    assert shown.current_level == levels[1]
    assert "审核" in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"kind": "section"}, {"科室台账缺失"}),
        ({"kind": "unit"}, {"三重一大未集体决策"}),
        ({"status": "approved"}, {"奖励兑现放宽条件"}),
        ({"q": "公车"}, {"公车私用"}),
        ({"measures": "incomplete"}, {"公车私用"}),
        ({"unfinal": "on"}, {"项目准入打招呼", "公车私用", "科室台账缺失", "三重一大未集体决策"}),
        ({"grade": "none"}, set()),
    ],
)
def test_filters(client, register_org, query, expected):
    client.force_login(register_org["office"])
    assert set(titles(client.get(register_org["url"], query))) == expected


def test_filter_by_section_category_and_grade(client, register_org):
    org = register_org
    client.force_login(org["office"])
    in_section = titles(client.get(org["url"], {"section": org["section"].pk}))
    assert set(in_section) == {"奖励兑现放宽条件", "项目准入打招呼", "科室台账缺失"}
    assert titles(client.get(org["url"], {"category": org["categories"][2].pk})) == ["公车私用"]
    high = titles(client.get(org["url"], {"grade": org["levels"][1].pk}))
    assert set(high) == {"奖励兑现放宽条件", "三重一大未集体决策"}


def test_measures_without_owner_filter(client, register_org):
    point = register_org["stranger_filing"].risk_points.get()
    Measure.objects.filter(risk_point=point).update(owner=None)
    client.force_login(register_org["office"])
    # The helper leaves the collective filings' measures without an owner too.
    shown = titles(client.get(register_org["url"], {"measures": "no_owner"}))
    assert set(shown) == {"公车私用", "科室台账缺失", "三重一大未集体决策"}


def test_a_value_from_another_campaign_is_refused(client, register_org):
    other = CampaignFactory()
    client.force_login(register_org["office"])
    response = client.get(register_org["url"], {"category": other.risk_categories.first().pk})
    assert response.status_code == 200
    assert titles(response) == []
    assert "筛选条件无效" in response.content.decode()


def test_auditor_sees_approved_filings_only(client, register_org):
    client.force_login(register_org["auditor"])
    response = client.get(register_org["url"])
    assert response.status_code == 200
    assert titles(response) == ["奖励兑现放宽条件"]
    assert "仅显示已审定" in response.content.decode()


@pytest.mark.parametrize("who, status", [("staff", 403), ("head", 403), ("outsider", 404)])
def test_others_are_refused(client, register_org, who, status):
    client.force_login(register_org[who])
    assert client.get(register_org["url"]).status_code == status


@pytest.mark.parametrize("who", ["discipline", "committee", "supervisor"])
def test_watchers_see_the_register(client, register_org, who):
    client.force_login(register_org[who])
    expected = 403 if who == "supervisor" else 200
    assert client.get(register_org["url"]).status_code == expected


def test_markup_in_risk_text_is_escaped(client, risk_org):
    add_point(risk_org["filing"], title="<script>alert(1)</script>", content="<b>粗体</b>")
    client.force_login(risk_org["office"])
    html = client.get(reverse("risks:register", args=[risk_org["campaign"].pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;粗体&lt;/b&gt;" in html


def _points(org, n):
    filings = list(Filing.objects.filter(campaign=org["campaign"]).order_by("pk"))
    categories = list(org["campaign"].risk_categories.all())
    for i in range(n):
        point = RiskPointFactory(
            filing=filings[i % len(filings)],
            category=categories[i % len(categories)],
            self_grade=org["levels"][i % 3 + 1],
            final_grade=None if i % 2 else org["levels"][1],
        )
        Measure.objects.create(risk_point=point, line=Measure.Line.values[i % 3], text="措施")


def _register_queries(client, org, django_assert_max_num_queries, query=None):
    client.force_login(org["office"])
    with django_assert_max_num_queries(22) as captured:
        response = client.get(reverse("risks:register", args=[org["campaign"].pk]), query or {})
    assert response.status_code == 200
    return len(captured), len(response.context["page"].object_list)


def test_query_count_is_the_same_for_10_and_100_points(
    client, risk_org, django_assert_max_num_queries
):
    _points(risk_org, 10)
    small, shown = _register_queries(client, risk_org, django_assert_max_num_queries)
    assert shown == 10
    _points(risk_org, 90)
    large, shown = _register_queries(client, risk_org, django_assert_max_num_queries)
    assert shown == 50  # paginated
    assert small == large
    filtered, _shown = _register_queries(
        client, risk_org, django_assert_max_num_queries, {"measures": "incomplete", "q": "风险"}
    )
    assert filtered == large


def test_register_current_redirects(client, risk_org):
    client.force_login(risk_org["office"])
    response = client.get(reverse("risks:register_current"))
    assert response.status_code == 302
    assert response.url == reverse("risks:register", args=[risk_org["campaign"].pk])
    client.force_login(risk_org["outsider"])
    assert client.get(reverse("risks:register_current")).status_code == 404


# The list of filings ------------------------------------------------------------


def test_filings_list_shows_what_each_person_may_open(client, register_org):
    url = reverse("risks:filings", args=[register_org["campaign"].pk])
    client.force_login(register_org["staff"])
    rows = client.get(url).context["rows"]
    assert [f.pk for f in rows] == [register_org["filing"].pk]
    client.force_login(register_org["head"])
    rows = client.get(url).context["rows"]
    assert {f.section_id for f in rows} == {register_org["section"].pk}
    client.force_login(register_org["auditor"])
    rows = client.get(url).context["rows"]
    assert [f.pk for f in rows] == [register_org["approved"].pk]
    client.force_login(register_org["outsider"])
    assert client.get(url).status_code == 404


def test_filings_list_filters_by_state(client, register_org):
    url = reverse("risks:filings", args=[register_org["campaign"].pk])
    client.force_login(register_org["office"])
    rows = client.get(url, {"state": "submitted"}).context["rows"]
    assert [f.owner for f in rows] == [register_org["colleague"]]
    assert rows[0].with_whom == str(register_org["head"])
    behind = client.get(url, {"state": "behind", "kind": "personal"}).context["rows"]
    assert register_org["approved"].pk not in {f.pk for f in behind}
    assert register_org["stranger_filing"].pk in {f.pk for f in behind}
    unapproved = client.get(url, {"state": "unapproved"}).context["rows"]
    assert register_org["approved"].pk not in {f.pk for f in unapproved}
    assert len(unapproved) == Filing.objects.filter(campaign=register_org["campaign"]).count() - 1


# Coverage lists ----------------------------------------------------------------------


def test_coverage_lists(client, register_org):
    org = register_org
    campaign = org["campaign"]
    key_post = PostFactory(section=org["section"], key_type=Post.KeyType.MONEY, name="出纳岗")
    covered_post = PostFactory(
        section=org["section"], key_type=Post.KeyType.APPROVAL, name="审批岗"
    )
    holder = UserFactory(section=org["section"], post=covered_post)
    services.ensure_filings(campaign)
    add_point(Filing.objects.get(campaign=campaign, owner=holder), title="审批岗风险")
    lonely = PowerFactory(
        catalogue__campaign=campaign, catalogue__section=org["section"], name="无风险点的职权"
    )
    used = PowerFactory(
        catalogue__campaign=campaign, catalogue__section=org["section"], name="有风险点的职权"
    )
    add_point(org["stranger_filing"], title="涉及职权", power=used)
    url = reverse("risks:coverage", args=[campaign.pk])
    client.force_login(org["office"])
    people = client.get(url).context["page"].object_list
    assert org["colleague"] not in people  # submitted
    assert org["staff"] not in people  # approved
    assert org["stranger"] in people and holder in people
    posts = list(client.get(url, {"gap": "posts"}).context["page"].object_list)
    assert key_post in posts and covered_post not in posts
    response = client.get(url, {"gap": "powers"})
    powers = list(response.context["page"].object_list)
    assert lonely in powers and used not in powers
    assert "无风险点的职权" in response.content.decode()
    client.force_login(org["staff"])
    assert client.get(url).status_code == 403
