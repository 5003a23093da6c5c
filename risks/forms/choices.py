"""What the filing form chooses from, loaded once per page
(:class:`FilingChoices`), and the factor ratings read from submitted data."""

from collections import defaultdict

from django.db.models import Q
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from campaign.models import GradeLevel, RiskCategory
from powers.models import Power, PowerStep

from .. import scoring
from ..models import Filing, LibraryEntry, Measure, RiskPoint
from .widgets import EMPTY_LABEL, FACTORS, OWNER_CHOICES_LIMIT, SharedChoices, shared_choices


def powers_for(filing):
    """The powers a filing's risk points may link to: those of the filer's
    section; a leader's, those of the sections they supervise; the unit's
    filing, all powers of the campaign."""
    powers = Power.objects.filter(campaign_id=filing.campaign_id)
    if filing.section_id:
        powers = powers.filter(section_id=filing.section_id)
    elif filing.kind == Filing.Kind.PERSONAL:
        powers = powers.filter(section__supervising_leaders=filing.owner_id)
    return powers.select_related("category").order_by("section__display_order", "sequence", "pk")


def default_owner_id(filing):
    """Who a new measure belongs to: the filer (the section head for a section)."""
    if filing.kind == Filing.Kind.PERSONAL:
        return filing.owner_id
    if filing.kind == Filing.Kind.SECTION:
        return filing.section.head_id if filing.section_id else None
    return None


def owner_people(filing, *, current_owner_ids=()):
    """Who may own a measure: the unit's active people (in a large unit, the
    filer's section and the leadership), and whoever owns one now."""
    people = User.objects.filter(unit_id=filing.campaign.unit_id, is_active=True)
    if people.count() > OWNER_CHOICES_LIMIT:
        keep = Q(rank=User.Rank.LEADER)
        if filing.section_id:
            keep |= Q(section_id=filing.section_id)
        if filing.owner_id:
            keep |= Q(pk=filing.owner_id)
        people = people.filter(keep)
    people = User.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=list(current_owner_ids)))
    people = people.select_related("section")
    return list(people.order_by("section__display_order", "section_id", "employee_no", "pk"))


def _person_label(person):
    # Names only: the lists sit in narrow columns, grouped by section.
    return str(person)


def _grouped_people(people):
    groups = {}
    for person in people:
        if person.section_id:
            group = person.section.name
        elif person.rank == User.Rank.LEADER:
            group = str(_("单位领导"))
        else:
            group = str(_("未分配科室"))
        groups.setdefault(group, []).append((person.pk, _person_label(person)))
    return SharedChoices([("", EMPTY_LABEL), *groups.items()])


class FilingChoices:
    """Everything the filing form chooses from, loaded once per page."""

    def __init__(self, filing, points=()):
        self.filing = filing
        campaign = filing.campaign
        self.categories = list(RiskCategory.objects.filter(campaign=campaign))
        self.levels = list(GradeLevel.objects.filter(campaign=campaign).order_by("rank"))
        self.powers = list(powers_for(filing))
        self.steps = (
            list(
                PowerStep.objects.filter(power__in=[p.pk for p in self.powers]).order_by(
                    "power_id", "position", "pk"
                )
            )
            if self.powers
            else []
        )
        owners = {m.owner_id for point in points for m in point.measures.all() if m.owner_id}
        self.people = owner_people(filing, current_owner_ids=owners)
        self.default_owner_id = default_owner_id(filing)
        self.scoring = scoring.Settings.for_campaign(campaign)

        self.category_by_pk = {c.pk: c for c in self.categories}
        self.level_by_pk = {level.pk: level for level in self.levels}
        self.level_by_rank = {level.rank: level for level in self.levels}
        self.power_by_pk = {p.pk: p for p in self.powers}
        self.step_by_pk = {s.pk: s for s in self.steps}
        self.person_by_pk = {p.pk: p for p in self.people}
        self.steps_by_power = defaultdict(list)
        for step in self.steps:
            self.steps_by_power[step.power_id].append(step)

        self.category_choices = shared_choices(self.categories)
        self.level_choices = shared_choices(self.levels, lambda level: level.label)
        self.power_choices = shared_choices(self.powers, lambda p: f"{p.code} {p.name}")
        self.step_choices = shared_choices(self.steps, lambda s: f"{s.position}. {s.name}")
        self.people_choices = _grouped_people(self.people)
        self.status_choices = SharedChoices(Measure.Status.choices)
        self._library_ids = None
        self._labels = None
        self._step_labels = None

    def use(self, field, name):
        objects, choices = {
            "category": (self.category_by_pk, self.category_choices),
            "self_grade": (self.level_by_pk, self.level_choices),
            "power": (self.power_by_pk, self.power_choices),
            "power_step": (self.step_by_pk, self.step_choices),
            "owner": (self.person_by_pk, self.people_choices),
        }[name]
        field.use(objects, choices)

    def library_ids(self):
        if self._library_ids is None:
            self._library_ids = set(LibraryEntry.objects.values_list("pk", flat=True))
        return self._library_ids

    def suggest(self, ratings):
        """The suggested level and its reason for these factor ratings, or (None, "")."""
        labels = {rank: level.label for rank, level in self.level_by_rank.items()}
        suggestion = scoring.suggest(ratings, self.scoring, labels)
        if suggestion is None:
            return None, ""
        return self.level_by_rank.get(suggestion.rank), suggestion.reason

    def labels(self):
        """Labels of the repeated controls, escaped once per page."""
        if self._labels is None:
            self._labels = {
                "factors": {f: escape(RiskPoint._meta.get_field(f).verbose_name) for f in FACTORS},
                "ratings": {
                    f: [
                        (str(v), escape(label)) for v, label in RiskPoint._meta.get_field(f).choices
                    ]
                    for f in FACTORS
                },
                "levels": [
                    (level.pk, escape(level.colour), escape(level.label)) for level in self.levels
                ],
                "found_by": [(key, escape(label)) for key, label in RiskPoint.FoundBy.choices],
                "measure": {
                    key: escape(text)
                    for key, text in {
                        "drag": _("拖动调整顺序"),
                        "text": _("措施内容"),
                        "remove": _("删除此措施"),
                        "removed": _("将删除此措施"),
                        "undo": _("撤销"),
                        "owner": _("责任人"),
                        "due_on": _("完成时限"),
                        "status": _("落实情况"),
                        "indicator": _("监测指标"),
                    }.items()
                },
            }
        return self._labels

    def step_labels(self):
        if self._step_labels is None:
            self._step_labels = {
                str(power_id): [(s.pk, escape(f"{s.position}. {s.name}")) for s in steps]
                for power_id, steps in self.steps_by_power.items()
            }
        return self._step_labels

    def steps_json(self):
        return {
            str(power_id): [[s.pk, f"{s.position}. {s.name}"] for s in steps]
            for power_id, steps in self.steps_by_power.items()
        }

    def categories_json(self):
        return {c.name: c.pk for c in self.categories}


def read_ratings(data, prefix=""):
    """Factor ratings from submitted data (``<prefix>-likelihood`` …)."""
    ratings = {}
    for factor in FACTORS:
        value = data.get(f"{prefix}-{factor}" if prefix else factor)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        ratings[factor] = number if number in (1, 2, 3) else None
    return ratings
