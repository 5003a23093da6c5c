"""The campaign summary (工作总结): charts for the page, sheets for Excel.

Both come from :func:`acceptance.figures.campaign_figures`, so the page and
the workbook always agree. The per-section sheet is the risks app's own
statistics table (风险排查及风险评估汇总表), read through the person's access.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.exports import export_context
from campaign.tables import Column, Table
from campaign.xlsx import Sheet
from risks.tables import statistics_rows, statistics_table

from .figures import UNGRADED_COLOUR

FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
STATUS_COLOURS = ["#9ca3af", "#f59e0b", "#16a34a", "#2563eb"]


def _chart(key, option, height):
    option.setdefault("textStyle", {"fontFamily": FONT})
    option.setdefault("animation", False)
    return {"id": f"summary-{key}", "option": option, "height": height}


def charts(figures) -> dict:
    points, measures, warnings = figures["points"], figures["measures"], figures["warnings"]
    pie = [
        {"name": g["label"], "value": g["n"], "itemStyle": {"color": g["colour"]}}
        for g in points["by_grade"]
    ]
    if points["ungraded"]:
        pie.append(
            {
                "name": _("未定级"),
                "value": points["ungraded"],
                "itemStyle": {"color": UNGRADED_COLOUR},
            }
        )
    grade = {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "series": [
            {
                "type": "pie",
                "radius": ["38%", "66%"],
                "center": ["50%", "44%"],
                "label": {"formatter": "{b}：{c}"},
                "data": pie,
            }
        ],
    }
    categories = points["by_category"]
    category = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 28, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [c["name"] for c in categories]},
        "series": [
            {
                "type": "bar",
                "barMaxWidth": 18,
                "itemStyle": {"color": "#a4161a"},
                "label": {"show": True, "position": "right"},
                "data": [c["n"] for c in categories],
            }
        ],
    }
    sections = figures["sections"]
    section = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [s["label"] for s in sections]},
        "series": [
            {
                "name": g["label"],
                "type": "bar",
                "stack": "grades",
                "barMaxWidth": 20,
                "itemStyle": {"color": g["colour"]},
                "data": [s["grades"][i] for s in sections],
            }
            for i, g in enumerate(points["by_grade"])
        ]
        + (
            [
                {
                    "name": _("未定级"),
                    "type": "bar",
                    "stack": "grades",
                    "barMaxWidth": 20,
                    "itemStyle": {"color": UNGRADED_COLOUR},
                    "data": [s["ungraded"] for s in sections],
                }
            ]
            if points["ungraded"]
            else []
        ),
    }
    lines = measures["lines"]
    measure = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [line["label"] for line in lines]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": status["label"],
                "type": "bar",
                "stack": "status",
                "barMaxWidth": 36,
                "itemStyle": {"color": STATUS_COLOURS[i % len(STATUS_COLOURS)]},
                "data": [line["statuses"][i]["n"] for line in lines],
            }
            for i, status in enumerate(lines[0]["statuses"] if lines else [])
        ],
    }
    levels = warnings["by_level"]
    warning = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [w["label"] for w in levels]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "barMaxWidth": 36,
                "label": {"show": True, "position": "top"},
                "data": [{"value": w["n"], "itemStyle": {"color": w["colour"]}} for w in levels],
            }
        ],
    }
    return {
        "grade": _chart("grades", grade, 260),
        "category": _chart("categories", category, 40 + 30 * max(len(categories), 1)),
        "section": _chart("sections", section, 60 + 30 * max(len(sections), 1)),
        "measure": _chart("measures", measure, 260),
        "warning": _chart("warnings", warning, 240),
    }


# Excel ---------------------------------------------------------------------------------

OVERVIEW = Table(
    key="summary",
    title=gettext_lazy("{unit}廉政风险防控工作情况统计表"),
    columns=[
        Column("group", gettext_lazy("类别"), width=16),
        Column("item", gettext_lazy("项目"), width=30),
        Column("value", gettext_lazy("数量"), width=12, kind="number"),
        Column("note", gettext_lazy("说明"), width=30),
    ],
    orientation="portrait",
    note=gettext_lazy(
        "注：风险点按评定等级统计，尚未评定的按审核等级或自评等级统计；预警只统计数量。"
    ),
)


def _pct(ratio):
    return "" if ratio is None else f"{ratio * 100:.0f}%"


def overview_rows(figures) -> list[dict]:
    f = figures
    rows = []

    def add(group, item, value, note=""):
        rows.append({"group": str(group), "item": str(item), "value": value, "note": str(note)})

    people = f["people"]
    add(_("人员和登记表"), _("应参与人员"), people["total"])
    add(_("人员和登记表"), _("个人岗位登记表"), people["personal_filings"])
    add(_("人员和登记表"), _("已提交"), people["handed_in"])
    add(_("人员和登记表"), _("已审定"), people["approved"])
    for kind in f["filings"]:
        add(
            _("登记表（按类别）"),
            kind["label"],
            kind["total"],
            "；".join(f"{s['label']} {s['n']}" for s in kind["statuses"] if s["n"]),
        )
    points = f["points"]
    add(_("风险点"), _("合计"), points["total"])
    for g in points["by_grade"]:
        add(_("风险点（按等级）"), g["label"], g["n"])
    if points["ungraded"]:
        add(_("风险点（按等级）"), _("未定级"), points["ungraded"])
    for c in points["by_category"]:
        add(_("风险点（按类别）"), c["name"], c["n"])
    add(
        _("覆盖情况"),
        _("重点岗位"),
        f["posts"]["total"],
        _("已覆盖 %(n)d，%(p)s") % {"n": f["posts"]["covered"], "p": _pct(f["posts"]["ratio"])},
    )
    add(
        _("覆盖情况"),
        _("职权事项"),
        f["powers"]["total"],
        _("已覆盖 %(n)d，%(p)s") % {"n": f["powers"]["covered"], "p": _pct(f["powers"]["ratio"])},
    )
    measures = f["measures"]
    add(
        _("防控措施"),
        _("合计"),
        measures["total"],
        _("已落实 %(n)d，%(p)s") % {"n": measures["done"], "p": _pct(measures["done_ratio"])},
    )
    for line in measures["lines"]:
        add(
            _("防控措施（按防线）"),
            line["label"],
            line["total"],
            "；".join(f"{s['label']} {s['n']}" for s in line["statuses"]),
        )
    warnings = f["warnings"]
    add(
        _("预警处置"),
        _("预警"),
        warnings["total"],
        "；".join(f"{w['label']} {w['n']}" for w in warnings["by_level"]),
    )
    add(
        _("预警处置"),
        _("处置措施"),
        warnings["disposals"],
        _("已办结 %(n)d") % {"n": warnings["disposals_closed"]},
    )
    pub = f["publicity"]
    add(
        _("公示"),
        _("公示次数"),
        pub["windows"],
        _("其中向社会公开 %(n)d") % {"n": pub["public_windows"]},
    )
    add(_("公示"), _("意见建议"), pub["feedback"], _("已答复 %(n)d") % {"n": pub["answered"]})
    rect = f["rectifications"]
    add(
        _("整改"),
        _("发现问题"),
        rect["total"],
        "；".join(f"{s['label']} {s['n']}" for s in rect["statuses"]),
    )
    return rows


def sheets(campaign, user, figures):
    exported_at = timezone.localtime()
    context = export_context(campaign, exported_at)
    yield Sheet(OVERVIEW, overview_rows(figures), context, _("工作情况"))
    yield Sheet(
        statistics_table(campaign), statistics_rows(campaign, user), context, _("按科室统计")
    )


def filename(campaign) -> str:
    return f"{campaign.title}-{_('工作总结统计')}-{timezone.localdate():%Y%m%d}.xlsx"
