"""The 400 and 500 pages speak Chinese like the 403 and 404 pages; the 500
page stands alone (no base.html): it renders with no request, no database
and no static files, since any of them may be what failed."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import ExtendsNode
from django.test import Client, override_settings
from django.urls import include, path

pytestmark = pytest.mark.django_db


@login_not_required
def _boom(request):
    raise RuntimeError("something broke")


urlpatterns = [path("test-boom/", _boom), path("", include("config.urls"))]


def test_a_bad_request_gets_the_chinese_page(client):
    response = client.get("/", HTTP_HOST="not-our-host.example")  # DisallowedHost → 400
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求有误" in html and "返回我的工作台" in html
    assert '<html lang="zh-CN">' in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_gets_the_chinese_page():
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出错了" in html and "廉政风险防控平台" in html
    assert "something broke" not in html


def test_the_500_page_needs_no_request_no_database_and_no_base(django_assert_num_queries):
    template = get_template("500.html")
    assert not any(isinstance(node, ExtendsNode) for node in template.template.nodelist)
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "系统出错了" in html and "/static/" not in html
