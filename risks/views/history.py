"""What happened to a filing: the field history ("字段修改记录") of the
filing, its points and its measures, and the timeline of submissions,
revisions and review steps."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Post, User
from campaign import approvals
from campaign.models import AuditEntry, GradeLevel, RiskCategory
from powers.models import Power, PowerStep

from ..models import Factor, Filing, LibraryEntry, Measure, RiskPoint

# The field history ("字段修改记录") ------------------------------------------------

TRACKED = {
    "filing": [
        "status",
        "revision",
        "post",
        "section_meeting_on",
        "pledge_addressee",
        "pledge_signed_at",
    ],
    "point": [
        "position",
        "category",
        "title",
        "content",
        "power",
        "power_step",
        "found_by",
        *Factor.values,
        "self_grade",
        "reviewed_grade",
        "reviewed_reason",
        "final_grade",
        "final_reason",
        "library_entry",
    ],
    "measure": ["line", "position", "text", "owner", "due_on", "status", "indicator"],
}
ACTIONS = {"+": _lazy("新增"), "~": _lazy("修改"), "-": _lazy("删除")}
SHORT = 80


def _short(text):
    text = str(text)
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


class _Lookups:
    """Names of what foreign keys in the history point to, fetched in bulk."""

    def __init__(self, filing, rows):
        def ids(field):
            return {getattr(r, f"{field}_id") for r in rows if getattr(r, f"{field}_id", None)}

        campaign = filing.campaign_id
        self.names = {
            "category": {c.pk: c.name for c in RiskCategory.objects.filter(campaign_id=campaign)},
            "post": {p.pk: p.name for p in Post.objects.filter(pk__in=ids("post"))},
            "power": {
                p.pk: f"{p.code} {p.name}" for p in Power.objects.filter(pk__in=ids("power"))
            },
            "power_step": {
                s.pk: f"{s.position}. {s.name}"
                for s in PowerStep.objects.filter(pk__in=ids("power_step"))
            },
            "owner": {u.pk: str(u) for u in User.objects.filter(pk__in=ids("owner"))},
            "library_entry": {
                e.pk: str(e) for e in LibraryEntry.objects.filter(pk__in=ids("library_entry"))
            },
        }
        levels = {g.pk: g.label for g in GradeLevel.objects.filter(campaign_id=campaign)}
        for name in ("self_grade", "reviewed_grade", "final_grade"):
            self.names[name] = levels

    def show(self, model, name, value):
        if value in (None, "", []):
            return _("（空）")
        if name in self.names:
            return self.names[name].get(value, f"#{value}")
        if name == "found_by":
            labels = dict(RiskPoint.FoundBy.choices)
            return "、".join(str(labels.get(v, v)) for v in value)
        field = model._meta.get_field(name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if hasattr(value, "hour"):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return _short(value)


def _value(record, model, name):
    field = model._meta.get_field(name)
    return getattr(record, field.attname)


def change_log(filing):
    """Who changed which field of the filing, its points and its measures,
    from what to what, and when (django-simple-history), newest first.
    Five queries whatever the history's length."""
    filing_rows = list(
        Filing.history.filter(id=filing.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    point_rows = list(
        RiskPoint.history.filter(filing_id=filing.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    titles = {}
    for row in point_rows:
        titles[row.id] = row.title
    measure_rows = list(
        Measure.history.filter(risk_point_id__in=list(titles))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    lookups = _Lookups(filing, [*filing_rows, *point_rows, *measure_rows])
    entries = []
    for kind, model, rows in (
        ("filing", Filing, filing_rows),
        ("point", RiskPoint, point_rows),
        ("measure", Measure, measure_rows),
    ):
        previous = {}
        for row in rows:
            if kind == "filing":
                label = _("登记表")
            elif kind == "point":
                label = _("风险点“%(title)s”") % {"title": _short(row.title)}
            else:
                label = _("防控措施“%(text)s”（%(point)s）") % {
                    "text": _short(row.text)[:30],
                    "point": titles.get(row.risk_point_id, ""),
                }
            before = previous.get(row.id)
            previous[row.id] = row
            changes = []
            if row.history_type == "~" and before is not None:
                for name in TRACKED[kind]:
                    old, new = _value(before, model, name), _value(row, model, name)
                    if old != new:
                        changes.append(
                            (
                                model._meta.get_field(name).verbose_name,
                                lookups.show(model, name, old),
                                lookups.show(model, name, new),
                            )
                        )
                if not changes:
                    continue
            elif row.history_type == "~":
                continue
            entries.append(
                {
                    "at": row.history_date,
                    "who": row.history_user,
                    "action": ACTIONS.get(row.history_type, row.history_type),
                    "object": label,
                    "changes": changes,
                    "order": row.history_id,
                }
            )
    entries.sort(key=lambda e: (e["at"], e["order"]), reverse=True)
    return entries


def timeline(filing):
    """Submissions, revisions and every review step, oldest first."""
    steps = list(approvals.history(filing))
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Filing),
        target_id=filing.pk,
        action__in=["review.submitted", "filing.revised"],
    ).select_related("actor")
    events = [{"kind": "audit", "at": entry.at, "entry": entry} for entry in entries]
    # The rest of a returned round never opens and has no time of its own: it
    # belongs with its round (right after the return), not after later rounds.
    round_ends = {}
    for step in steps:
        at = step.decided_at or step.opened_at
        if at is not None:
            key = (step.review_id, step.round)
            round_ends[key] = max(round_ends.get(key, at), at)
    for step in steps:
        at = step.decided_at or step.opened_at
        events.append(
            {
                "kind": "step",
                "at": at,
                "step": step,
                "order": at or round_ends.get((step.review_id, step.round)),
            }
        )
    # Steps opened in the same instant as the submission come after it; steps
    # of one instant keep their order (round, position).
    events.sort(
        key=lambda e: (
            e.get("order", e["at"]) is None,
            e.get("order", e["at"]),
            0 if e["kind"] == "audit" else 1,
        )
    )
    return events
