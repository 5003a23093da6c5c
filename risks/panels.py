"""The risks panels of the campaign dashboard.

Each ``*_context(campaign, user)`` returns the context of one template under
``templates/risks/panels/``. They run a fixed number of queries whatever the
unit's size: the figures come from a few aggregate queries (``values()`` and
``annotate(Count)``), shared between the panels of one request through
:func:`stats`, which keeps them on the campaign instance the dashboard passes
to every panel.

Charts are ECharts options passed with ``json_script``; ``static/js/panels.js``
draws every ``[data-echarts]`` element.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from accounts.models import Post
from campaign.access import may_watch
from campaign.dashboard import active_sections
from campaign.models import Campaign
from powers.models import Power

from . import states
from .models import Factor, Filing, Rating, RiskPoint
from .services import filers_of

# The grade that counts now: final, else reviewed, else self.
CURRENT_GRADE = Coalesce("final_grade_id", "reviewed_grade_id", "self_grade_id")
UNGRADED_COLOUR = "#9ca3af"
FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'


def visible(campaign, user) -> bool:
    return may_watch(user, campaign)


class Stats:
    """Every figure the risks panels need, each computed at most once."""

    def __init__(self, campaign):
        self.campaign = campaign

    @cached_property
    def sections(self) -> list:
        return active_sections(self.campaign)

    @cached_property
    def levels(self) -> list:
        return list(self.campaign.grade_levels.order_by("rank"))

    @cached_property
    def categories(self) -> list:
        return list(self.campaign.risk_categories.order_by("display_order", "pk"))

    @cached_property
    def people(self) -> dict:
        """Filers per section (``None``: the leadership team)."""
        rows = filers_of(self.campaign).values("section_id").annotate(n=Count("pk")).order_by()
        return {row["section_id"]: row["n"] for row in rows}

    @cached_property
    def filings(self) -> list:
        """Every filing of the campaign, grouped by kind, section, owner's
        section and state: one small row per group."""
        return list(
            Filing.objects.filter(campaign=self.campaign)
            .filter(Q(owner__isnull=True) | Q(owner__is_active=True))
            .values(
                "kind",
                "section_id",
                "status",
                owner_section=F("owner__section_id"),
                started=ExpressionWrapper(Q(started_at__isnull=False), output_field=BooleanField()),
            )
            .annotate(n=Count("pk"))
            .order_by()
        )

    @cached_property
    def personal(self) -> dict:
        """Personal filings per section of their owner: ``{state key: count}``."""
        found = defaultdict(lambda: {s.key: 0 for s in states.STATES})
        for row in self.filings:
            if row["kind"] == Filing.Kind.PERSONAL:
                found[row["owner_section"]][states.state_of(_Row(row)).key] += row["n"]
        return dict(found)

    @cached_property
    def collective(self) -> list:
        """Section filings and the unit filing."""
        return [row for row in self.filings if row["kind"] != Filing.Kind.PERSONAL]

    @cached_property
    def coverage(self) -> dict:
        """Key posts and powers, in all and without any risk point: one query."""
        campaign = self.campaign
        key_posts = (
            Post.objects.filter(section__unit_id=campaign.unit_id, section__is_active=True)
            .exclude(key_type=Post.KeyType.NONE)
            .order_by()
        )
        # "Has a risk point" as a correlated EXISTS: a few index probes per
        # post or power, where NOT IN first collects every point of the
        # campaign (tens of thousands) into a hash.
        post_covered = Exists(
            RiskPoint.objects.filter(campaign=campaign, filing__post=OuterRef("pk"))
        )
        powers = Power.objects.filter(campaign=campaign).order_by()
        power_covered = Exists(RiskPoint.objects.filter(campaign=campaign, power=OuterRef("pk")))
        return (
            Campaign.objects.filter(pk=campaign.pk)
            .values(
                posts_total=_Count(key_posts.values("pk")),
                posts_missing=_Count(key_posts.exclude(post_covered).values("pk")),
                powers_total=_Count(powers.values("pk")),
                powers_missing=_Count(powers.exclude(power_covered).values("pk")),
            )
            .get()
        )

    @cached_property
    def points(self) -> list:
        """Risk points grouped by everything the panels count them by."""
        return list(
            RiskPoint.objects.filter(campaign=self.campaign)
            .values(
                "category_id",
                "likelihood",
                "harm",
                section=F("filing__section_id"),
                grade=CURRENT_GRADE,
            )
            .annotate(n=Count("pk"))
            .order_by()
        )


def stats(campaign) -> Stats:
    found = getattr(campaign, "_risk_panel_stats", None)
    if found is None:
        found = campaign._risk_panel_stats = Stats(campaign)
    return found


def _chart(key, option, height):
    option.setdefault("textStyle", {"fontFamily": FONT})
    option.setdefault("animation", False)
    return {"id": f"chart-{key}", "option": option, "height": height}


def _section_rows(data, with_leaders):
    """``(section or None, label)`` for every section, the leadership team first."""
    rows = []
    if with_leaders:
        rows.append((None, _("领导班子")))
    rows += [(section, section.name) for section in data.sections]
    return rows


# (a) filing progress per section -------------------------------------------


def progress_context(campaign, user):
    data = stats(campaign)
    rows = []
    totals = {"people": 0, **{s.key: 0 for s in states.STATES}}
    leaders = data.people.get(None, 0) or None in data.personal
    for section, label in _section_rows(data, leaders):
        sid = section.pk if section else None
        people = data.people.get(sid, 0)
        found = data.personal.get(sid, {})
        counts = {s.key: found.get(s.key, 0) for s in states.STATES}
        # People without any filing yet (joined after the stage began) have not started.
        filed = sum(v for k, v in counts.items() if k != "not_started")
        counts["not_started"] = max(people - filed, counts["not_started"])
        done = counts["approved"]
        rows.append(
            {
                "section": section,
                "label": label,
                "people": people,
                "counts": [counts[s.key] for s in states.STATES],
                "by_key": counts,
                "handed_in": counts["submitted"] + counts["in_review"] + counts["approved"],
                "ratio": (done / people) if people else None,
                "url": reverse("risks:section", args=[campaign.pk, section.pk]) if section else "",
            }
        )
        totals["people"] += people
        for key, value in counts.items():
            totals[key] += value
    option = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [r["label"] for r in rows]},
        "series": [
            {
                "name": str(state.label),
                "type": "bar",
                "stack": "filings",
                "barMaxWidth": 22,
                "itemStyle": {"color": state.colour},
                "emphasis": {"focus": "series"},
                "data": [r["by_key"][state.key] for r in rows],
            }
            for state in states.STATES
        ],
    }
    collective = _collective(campaign, data)
    return {
        "campaign": campaign,
        "states": states.STATES,
        "rows": rows,
        "totals": totals,
        "total_counts": [totals[s.key] for s in states.STATES],
        "collective": collective,
        "chart": _chart("risk-progress", option, 80 + 34 * max(len(rows), 1)),
        "filings_url": reverse("risks:filings", args=[campaign.pk]),
    }


def _collective(campaign, data):
    """Section filings by state, and the unit filing's state."""
    section_counts = states.counts(
        states.state_of(_Row(row)).key
        for row in data.collective
        if row["kind"] == Filing.Kind.SECTION
    )
    unit = next((row for row in data.collective if row["kind"] == Filing.Kind.UNIT), None)
    return {
        "sections": [
            {"state": s, "count": section_counts[s.key]}
            for s in states.STATES
            if section_counts[s.key]
        ],
        "section_total": sum(section_counts.values()),
        "unit": states.state_of(_Row(unit)) if unit else None,
    }


class _Row:
    """A ``values()`` row that looks enough like a filing for ``state_of``."""

    def __init__(self, row):
        self.status = row["status"]
        self.started_at = row["started"]


class _Count(Subquery):
    """How many rows a queryset has, as a scalar subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


# (b) coverage: no item, no post, no person left out -------------------------


def coverage_context(campaign, user):
    data = stats(campaign)
    people_total = sum(data.people.values())
    handed_in = sum(
        row["submitted"] + row["in_review"] + row["approved"] for row in data.personal.values()
    )
    found = data.coverage
    posts = {"total": found["posts_total"], "missing": found["posts_missing"]}
    powers = {"total": found["powers_total"], "missing": found["powers_missing"]}
    url = reverse("risks:coverage", args=[campaign.pk])
    lines = [
        _coverage_line(
            "people",
            _("不漏人：尚未提交登记表的人员"),
            people_total,
            max(people_total - handed_in, 0),
            url,
        ),
        _coverage_line(
            "posts", _("不漏岗：没有风险点的重点岗位"), posts["total"], posts["missing"], url
        ),
        _coverage_line(
            "powers", _("不漏项：没有风险点的职权事项"), powers["total"], powers["missing"], url
        ),
    ]
    return {"campaign": campaign, "lines": lines}


def _coverage_line(key, label, total, missing, url):
    return {
        "key": key,
        "label": label,
        "total": total,
        "missing": missing,
        "covered": total - missing,
        "ratio": ((total - missing) / total) if total else None,
        "url": f"{url}?gap={key}",
    }


# (c) distribution by grade, category and section ---------------------------


def distribution_context(campaign, user):
    data = stats(campaign)
    by_grade, by_category, by_section = defaultdict(int), defaultdict(int), defaultdict(dict)
    for row in data.points:
        by_grade[row["grade"]] += row["n"]
        by_category[row["category_id"]] += row["n"]
        cell = by_section[row["section"]]
        cell[row["grade"]] = cell.get(row["grade"], 0) + row["n"]
    total = sum(by_grade.values())
    grades = [{"level": level, "count": by_grade.get(level.pk, 0)} for level in data.levels]
    ungraded = by_grade.get(None, 0)
    categories = [{"category": c, "count": by_category.get(c.pk, 0)} for c in data.categories]
    sections = []
    for section, label in _section_rows(data, None in by_section):
        cell = by_section.get(section.pk if section else None, {})
        sections.append(
            {
                "section": section,
                "label": label,
                "total": sum(cell.values()),
                "grades": [cell.get(level.pk, 0) for level in data.levels],
                "ungraded": cell.get(None, 0),
            }
        )
    pie = [
        {
            "name": g["level"].label,
            "value": g["count"],
            "itemStyle": {"color": g["level"].colour},
            # An empty level keeps its legend entry but prints no stray "0"
            # on the ring.
            **({} if g["count"] else {"label": {"show": False}}),
        }
        for g in grades
    ]
    if ungraded:
        pie.append(
            {"name": _("未定级"), "value": ungraded, "itemStyle": {"color": UNGRADED_COLOUR}}
        )
    grade_chart = {
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}（{d}%）"},
        "legend": {"bottom": 0},
        "series": [
            {
                "type": "pie",
                "radius": ["38%", "72%"],
                "center": ["50%", "45%"],
                "label": {
                    "position": "inside",
                    "formatter": "{c}",
                    "color": "#fff",
                    "fontWeight": "bold",
                },
                "data": pie,
            }
        ],
    }
    category_chart = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 24, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [c["category"].name for c in categories],
        },
        "series": [
            {
                "type": "bar",
                "barMaxWidth": 18,
                "itemStyle": {"color": "#a4161a"},
                "label": {"show": True, "position": "right"},
                "data": [c["count"] for c in categories],
            }
        ],
    }
    return {
        "campaign": campaign,
        "total": total,
        "levels": data.levels,
        "grades": grades,
        "ungraded": ungraded,
        "categories": categories,
        "sections": sections,
        "grade_chart": _chart("risk-grades", grade_chart, 240),
        "category_chart": _chart(
            "risk-categories", category_chart, 40 + 30 * max(len(categories), 1)
        ),
        "register_url": reverse("risks:register", args=[campaign.pk]),
    }


# (d) likelihood × harm heat map ---------------------------------------------


def heatmap_context(campaign, user):
    data = stats(campaign)
    ratings = [r.value for r in Rating]
    grid = {(x, y): 0 for x in ratings for y in ratings}
    unrated = 0
    for row in data.points:
        key = (row["likelihood"], row["harm"])
        if key in grid:
            grid[key] += row["n"]
        else:
            unrated += row["n"]
    names = [str(r.label) for r in Rating]
    peak = max(grid.values(), default=0)
    option = {
        "tooltip": {"position": "top"},
        "grid": {"left": 36, "right": 16, "top": 16, "bottom": 64, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": names,
            "name": str(Factor.LIKELIHOOD.label),
            "nameLocation": "middle",
            "nameGap": 28,
            "splitArea": {"show": True},
        },
        "yAxis": {
            "type": "category",
            "data": names,
            "name": str(Factor.HARM.label),
            "nameLocation": "middle",
            "nameRotate": 90,
            "nameGap": 28,
            "splitArea": {"show": True},
        },
        "visualMap": {
            "min": 0,
            "max": max(peak, 1),
            "calculable": False,
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "itemHeight": 120,
            "inRange": {"color": ["#fff7ed", "#fdba74", "#c62828"]},
        },
        "series": [
            {
                "type": "heatmap",
                "name": _("风险点"),
                "label": {"show": True, "fontSize": 14},
                "data": [[x - 1, y - 1, grid[(x, y)]] for x in ratings for y in ratings],
            }
        ],
    }
    # Rows for the table: highest harm first, as on a risk matrix.
    table = [
        {"harm": names[y - 1], "cells": [grid[(x, y)] for x in ratings]} for y in reversed(ratings)
    ]
    return {
        "campaign": campaign,
        "names": names,
        "table": table,
        "grid": grid,
        "unrated": unrated,
        "total": sum(grid.values()) + unrated,
        "chart": _chart("risk-heatmap", option, 300),
    }


# (e) share of the highest grade per section against the guideline -------------


def high_ratio_context(campaign, user):
    data = stats(campaign)
    top = data.levels[0] if data.levels else None
    guideline = Decimal(campaign.high_grade_ratio)
    totals, highs = defaultdict(int), defaultdict(int)
    for row in data.points:
        totals[row["section"]] += row["n"]
        if top is not None and row["grade"] == top.pk:
            highs[row["section"]] += row["n"]
    rows = []
    for section, label in _section_rows(data, None in totals):
        sid = section.pk if section else None
        total, high = totals.get(sid, 0), highs.get(sid, 0)
        ratio = Decimal(high) / Decimal(total) if total else None
        rows.append(
            {
                "section": section,
                "label": label,
                "total": total,
                "high": high,
                "ratio": ratio,
                "above": ratio is not None and ratio > guideline,
            }
        )
    unit_total, unit_high = sum(totals.values()), sum(highs.values())
    unit_ratio = Decimal(unit_high) / Decimal(unit_total) if unit_total else None
    return {
        "campaign": campaign,
        "top": top,
        "guideline": guideline,
        "rows": rows,
        "above": [r for r in rows if r["above"]],
        "unit": {
            "total": unit_total,
            "high": unit_high,
            "ratio": unit_ratio,
            "above": unit_ratio is not None and unit_ratio > guideline,
        },
    }
