"""Markup typed by people (a risk point, a measure, a power and its steps, a
signal, a warning, a disposal, publicity feedback, review opinions …) is
shown escaped on every page that shows it, and written as text in every
export; text that a spreadsheet would take for a formula (=, +, -, @) is
stored as text too.

(``test_routes.py`` also checks every page of the site, as every role, for
unescaped markup; here each page is checked to show the text at all.)
"""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from .world import ESCAPED_MARKERS, FORMULAS, RAW_MARKERS, SCRIPT, XSS

pytestmark = pytest.mark.django_db

# (who, url name, arguments from the world)
PAGES = [
    ("head", "risks:filing", lambda w: [w.filing.pk]),
    ("office_head", "risks:filing", lambda w: [w.approved.pk]),  # with review opinions
    ("head", "risks:review", lambda w: [w.filing.pk]),
    ("head", "risks:filing_edit", lambda w: [w.section_filing.pk]),  # the hand-built form
    ("office_head", "risks:register", lambda w: [w.campaign.pk]),
    ("staff", "powers:catalogue", lambda w: [w.campaign.pk, w.section.pk]),
    ("staff", "powers:power", lambda w: [w.campaign.pk, w.power.pk]),
    ("staff", "powers:flowchart_svg", lambda w: [w.campaign.pk, w.power.pk]),
    ("staff", "powers:catalogue_history", lambda w: [w.campaign.pk, w.section.pk]),
    ("office", "earlywarnings:signals", lambda w: []),
    ("office", "earlywarnings:signal", lambda w: [w.signal.pk]),
    ("office", "earlywarnings:list", lambda w: []),
    ("office", "earlywarnings:detail", lambda w: [w.warning.pk]),
    ("staff", "earlywarnings:mine", lambda w: []),
    ("staff", "earlywarnings:my_warning", lambda w: [w.warning.pk]),
    ("office", "earlywarnings:file", lambda w: [w.staff.pk]),
    ("staff", "earlywarnings:my_file", lambda w: []),
    ("office", "earlywarnings:holidays", lambda w: []),
    ("staff", "publicity:list", lambda w: []),
    ("staff", "publicity:notice", lambda w: [w.window.pk]),
    ("staff", "publicity:notice", lambda w: [w.public_window.pk]),
    ("office_head", "publicity:window", lambda w: [w.window.pk]),  # the feedback
    ("office_head", "publicity:manage", lambda w: [w.campaign.pk]),
    ("anonymous", "publicity:public", lambda w: [w.public_window.token]),
    ("office_head", "acceptance:rectifications", lambda w: [w.campaign.pk]),
    ("staff", "acceptance:rectification", lambda w: [w.rectification.pk]),
    ("staff", "campaign:mobilisation", lambda w: [w.campaign.pk]),
    ("office_head", "campaign:meeting_edit", lambda w: [w.campaign.pk, w.meeting.pk]),
    ("office_head", "campaign:history", lambda w: [w.campaign.pk]),
    ("staff", "home", lambda w: []),
    ("staff", "inbox", lambda w: []),
]
# Pages that show no typed text of the world at all: checked for raw markup only.
FIGURES_ONLY = [
    ("head", "risks:section", lambda w: [w.campaign.pk, w.section.pk]),
    ("office_head", "powers:overview", lambda w: [w.campaign.pk]),
    ("office_head", "acceptance:summary", lambda w: [w.campaign.pk]),
    ("office_head", "campaign:dashboard", lambda w: [w.campaign.pk]),
]


def _get(world, who, name, args):
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(world, who))
    response = client.get(reverse(name, args=args(world)))
    assert response.status_code == 200, (who, name, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(
    "who,name,args", PAGES, ids=[f"{name}-{who}-{i}" for i, (who, name, _a) in enumerate(PAGES)]
)
def test_typed_markup_is_shown_escaped(world, who, name, args):
    text = _get(world, who, name, args)
    assert [marker for marker in RAW_MARKERS if marker in text] == []
    # The text is on the page, as text.
    assert any(marker in text for marker in ESCAPED_MARKERS), "the typed text is shown"


@pytest.mark.parametrize("who,name,args", FIGURES_ONLY)
def test_pages_of_figures_show_no_raw_markup(world, who, name, args):
    text = _get(world, who, name, args)
    assert [marker for marker in RAW_MARKERS if marker in text] == []


def test_the_flowchart_svg_is_well_formed_with_the_text_inside(world):
    from xml.etree import ElementTree

    client = Client()
    client.force_login(world.staff)
    response = client.get(reverse("powers:flowchart_svg", args=[world.campaign.pk, world.power.pk]))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"].startswith("attachment;")
    root = ElementTree.fromstring(response.content)
    # No element came from the typed text: only text nodes carry it.
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert "script" not in tags and "img" not in tags
    texts = "".join(root.itertext())
    assert SCRIPT in texts or "alert(1)" in texts


# Exports ---------------------------------------------------------------------------

# key → a literal text of the world the table must hold, whole, in one cell
EXPORTS = {
    "register": f"项目准入{XSS}",
    "personal": f"项目准入{XSS}",
    "section": f"集体研究流于形式{XSS}",
    "catalogue": f"招商奖励兑现{XSS}",
    "rectifications": f"整改问题{XSS}",
    "publicity_feedback": f"意见{XSS}",
}
# The formula-like texts each table holds.
FORMULA_EXPORTS = {
    "register": FORMULAS,
    "personal": FORMULAS,
    "catalogue": (FORMULAS[0], FORMULAS[3]),
}


def _workbook(world, key):
    client = Client()
    client.force_login(world.office_head)
    response = client.get(reverse("exports:download", args=[world.campaign.pk, key]))
    assert response.status_code == 200, key
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


@pytest.mark.parametrize("key", sorted(EXPORTS))
def test_exports_hold_typed_markup_as_the_literal_text(world, key):
    cells = _workbook(world, key)
    literal = [cell for cell in cells if cell.value == EXPORTS[key]]
    assert literal, f"{key}: the cell holds the text exactly as typed"
    marked = [cell for cell in cells if isinstance(cell.value, str) and SCRIPT in cell.value]
    assert all(cell.data_type == "s" for cell in marked)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "no formula at all"


@pytest.mark.parametrize("key", sorted(FORMULA_EXPORTS))
def test_exports_store_formula_like_text_as_text(world, key):
    cells = _workbook(world, key)
    for formula in FORMULA_EXPORTS[key]:
        found = [cell for cell in cells if cell.value == formula]
        assert found, f"{key}: {formula!r} is in the table"
        for cell in found:
            assert cell.data_type == "s", (key, formula, cell.coordinate)
            assert cell.quotePrefix, (key, formula, cell.coordinate)


def test_review_opinions_and_feedback_are_shown_escaped(world):
    """Typed by reviewers and by the public: the opinions on an approved
    filing, the feedback on a notice."""
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    filing = _get(world, "office_head", "risks:filing", lambda w: [w.approved.pk])
    assert f"审核意见{escaped}" in filing
    window = _get(world, "office_head", "publicity:window", lambda w: [w.public_window.pk])
    assert f"公众意见{escaped}" in window
    for text in (filing, window):
        assert [marker for marker in RAW_MARKERS if marker in text] == []
