"""State changes of power catalogues: categories, powers and their
flowcharts, the catalogue's review, revisions and the carry-over to next
year. Views call these; they never save catalogue objects themselves.

Every change checks the campaign is open and the catalogue editable (draft
or returned), runs in one transaction with the catalogue row locked, and
writes a line in the campaign's history.
"""

import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign import approvals
from campaign.approvals import ReviewError
from campaign.audit import record
from campaign.models import Subject

from . import defaults
from .access import may_edit
from .models import Catalogue, CatalogueRevision, Power, PowerCategory, PowerStep

# Categories --------------------------------------------------------------


def ensure_categories(campaign):
    """The campaign's categories, creating the defaults if it has none yet."""
    categories = campaign.power_categories.all()
    if not campaign.is_closed and not categories.exists():
        PowerCategory.objects.bulk_create(
            [
                PowerCategory(
                    campaign=campaign, code=code, name=str(name), group=group, display_order=i
                )
                for i, (code, name, group) in enumerate(defaults.CATEGORIES, start=1)
            ],
            ignore_conflicts=True,
        )
    return campaign.power_categories.all()


def _new_category_code(campaign, taken=None):
    taken = set(taken or ()) | set(campaign.power_categories.values_list("code", flat=True))
    number = len(taken) + 1
    while f"custom-{number}" in taken:
        number += 1
    return f"custom-{number}"


@transaction.atomic
def save_categories(campaign, formset, by):
    """Save the office's edited category list (a validated model formset)."""
    campaign.ensure_open()
    for form in formset.deleted_forms:
        category = form.instance
        if category.pk is None:
            continue
        if category.powers.exists():
            raise ReviewError(
                _("“%(name)s”已有职权使用，不能删除；请先修改这些职权的类别。")
                % {"name": category.name}
            )
        category.delete()
    taken = set()
    for order, form in enumerate(formset.ordered_forms, start=1):
        category = form.instance
        category.campaign = campaign
        category.display_order = order
        if not category.code:
            category.code = _new_category_code(campaign, taken)
            taken.add(category.code)
        try:
            with transaction.atomic():
                category.save()
        except IntegrityError as exc:
            raise ReviewError(
                _("类别名称“%(name)s”重复，请换一个名称。") % {"name": category.name}
            ) from exc
    record(campaign, by, "powers.categories_saved", _("修改职权类别"))


# Codes -------------------------------------------------------------------


def _code(section, sequence):
    return f"{section.code}-{sequence:03d}"


def next_code(campaign, section):
    """The next free ``(sequence, code)`` of a section, e.g. ``(3, "ZS1-003")``."""
    top = Power.objects.filter(campaign=campaign, section=section).aggregate(top=Max("sequence"))
    sequence = (top["top"] or 0) + 1
    taken = set(
        Power.objects.filter(campaign=campaign, code__startswith=f"{section.code}-").values_list(
            "code", flat=True
        )
    )
    while _code(section, sequence) in taken:
        sequence += 1
    return sequence, _code(section, sequence)


def _sequence_from_code(section, code):
    match = re.fullmatch(rf"{re.escape(section.code)}-(\d{{1,6}})", code)
    return int(match.group(1)) if match else None


def code_taken_message(other):
    return _("编码“%(code)s”已被“%(name)s”（%(section)s）使用，请换一个编码。") % {
        "code": other.code,
        "name": other.name,
        "section": other.section.name,
    }


# Catalogues --------------------------------------------------------------


def catalogue_for(campaign, section) -> Catalogue:
    catalogue, _created = Catalogue.objects.get_or_create(campaign=campaign, section=section)
    return catalogue


def _locked_catalogue(campaign, section) -> Catalogue:
    catalogue_for(campaign, section)
    catalogue = Catalogue.objects.select_for_update(of=("self",)).get(
        campaign=campaign, section=section
    )
    catalogue.campaign, catalogue.section = campaign, section
    return catalogue


def ensure_editable(catalogue):
    catalogue.campaign.ensure_open()
    if catalogue.status == Catalogue.Status.IN_REVIEW:
        raise ReviewError(_("职权目录正在审核中，不能修改。"))
    if catalogue.status == Catalogue.Status.APPROVED:
        raise ReviewError(_("职权目录已审定并锁定；如需修改，请先“修订”开启新版本。"))


def _ensure_may_edit(by, catalogue):
    if not may_edit(by, catalogue.campaign, catalogue.section):
        raise PermissionDenied(_("只有本科室负责人和领导小组办公室可以编制本科室的职权目录。"))


# Powers and flowcharts ---------------------------------------------------


@transaction.atomic
def save_power(*, campaign, section, form, steps, by) -> Power:
    """Save a validated power form and its steps formset in one go.

    Steps take the order of the formset's ORDER values and are renumbered
    1…n; steps marked for deletion are removed.
    """
    catalogue = _locked_catalogue(campaign, section)
    _ensure_may_edit(by, catalogue)
    ensure_editable(catalogue)
    power = form.save(commit=False)
    creating = power.pk is None
    power.campaign, power.catalogue, power.section = campaign, catalogue, section
    power.code = (power.code or "").strip()
    if not power.code:
        power.sequence, power.code = next_code(campaign, section)
    else:
        parsed = _sequence_from_code(section, power.code)
        if parsed is not None:
            power.sequence = parsed
        elif creating:
            power.sequence = next_code(campaign, section)[0]
    if power.publicity != Power.Publicity.UNPUBLISHED:
        power.unpublished_reason = ""
    if creating:
        power.created_by = by
    other = Power.objects.filter(campaign=campaign, code=power.code).exclude(pk=power.pk).first()
    if other is not None:
        raise ReviewError({"code": [code_taken_message(other)]})
    try:
        with transaction.atomic():
            power.save()
    except IntegrityError as exc:
        # Someone took the code between the check and the save.
        raise ReviewError(
            {"code": [_("编码“%(code)s”已被使用，请换一个编码。") % {"code": power.code}]}
        ) from exc
    form.save_m2m()
    save_steps(power, steps)
    _touch(catalogue)
    verb = _("新增职权") if creating else _("修改职权")
    record(
        campaign,
        by,
        "power.created" if creating else "power.updated",
        f"{verb}：{power}",
        target=power,
    )
    return power


def save_steps(power, formset):
    """Apply a validated, ordered steps formset (see powers.formsets) to ``power``."""
    for form in formset.deleted_forms:
        if form.instance.pk is not None:
            form.instance.delete()
    ordered = [form.instance for form in formset.ordered_forms]
    for position, step in enumerate(ordered, start=1):
        step.power = power
        step.position = position
        step.save()
    return ordered


def _touch(catalogue):
    catalogue.save(update_fields=["updated_at"])


@transaction.atomic
def delete_power(power, by):
    catalogue = _locked_catalogue(power.campaign, power.section)
    _ensure_may_edit(by, catalogue)
    ensure_editable(catalogue)
    label = str(power)
    power.delete()
    _touch(catalogue)
    record(power.campaign, by, "power.deleted", _("删除职权：%(power)s") % {"power": label})


# Review ------------------------------------------------------------------


@transaction.atomic
def submit_catalogue(catalogue, by):
    """The section head (or the office) sends the catalogue to review."""
    campaign, section = catalogue.campaign, catalogue.section
    catalogue = _locked_catalogue(campaign, section)
    _ensure_may_edit(by, catalogue)
    ensure_editable(catalogue)
    if not catalogue.powers.exists():
        raise ReviewError(_("职权目录还没有任何职权事项，不能提交。"))
    return approvals.submit(
        catalogue,
        campaign=campaign,
        subject_kind=Subject.CATALOGUE,
        filer=by,
        section=section,
        by=by,
    )


def on_submitted(catalogue, review):
    catalogue.status = Catalogue.Status.IN_REVIEW
    catalogue.submitted_at = timezone.now()
    catalogue.save(update_fields=["status", "submitted_at", "updated_at"])


def on_returned(catalogue, review, step):
    catalogue.status = Catalogue.Status.RETURNED
    catalogue.save(update_fields=["status", "updated_at"])


def on_approved(catalogue, review):
    now = timezone.now()
    catalogue.status = Catalogue.Status.APPROVED
    catalogue.approved_at = now
    catalogue.save(update_fields=["status", "approved_at", "updated_at"])
    CatalogueRevision.objects.update_or_create(
        catalogue=catalogue,
        number=catalogue.revision,
        defaults={"approved_at": now, "snapshot": snapshot(catalogue)},
    )


@transaction.atomic
def open_revision(catalogue, by) -> Catalogue:
    """Unlock an approved catalogue as a new draft revision."""
    campaign, section = catalogue.campaign, catalogue.section
    catalogue = _locked_catalogue(campaign, section)
    _ensure_may_edit(by, catalogue)
    campaign.ensure_open()
    if catalogue.status != Catalogue.Status.APPROVED:
        raise ReviewError(_("只有已审定的职权目录才能修订。"))
    catalogue.status = Catalogue.Status.DRAFT
    catalogue.revision += 1
    catalogue.submitted_at = None
    catalogue.approved_at = None
    catalogue.save(
        update_fields=["status", "revision", "submitted_at", "approved_at", "updated_at"]
    )
    record(
        campaign,
        by,
        "catalogue.revision_opened",
        _("%(section)s职权目录开始修订（第%(revision)d版）")
        % {"section": section.name, "revision": catalogue.revision},
        target=catalogue,
    )
    return catalogue


# Snapshots ---------------------------------------------------------------


def powers_for_snapshot(queryset):
    return queryset.select_related("category", "section").prefetch_related(
        "posts", "steps__post__section"
    )


def power_snapshot(power) -> dict:
    return {
        "code": power.code,
        "section": power.section.name,
        "name": power.name,
        "category": power.category.name,
        "category_code": power.category.code,
        "direction": power.direction,
        "content": power.content,
        "legal_basis": power.legal_basis,
        "posts": [post.name for post in power.posts.all()],
        "procedure": power.procedure,
        "time_limit": power.time_limit,
        "responsibility": power.responsibility,
        "supervision_channel": power.supervision_channel,
        "publicity": power.publicity,
        "unpublished_reason": power.unpublished_reason,
        "steps": [
            {
                "name": step.name,
                "actor": step.actor_label(power.section_id),
                "time_limit": step.time_limit,
                "checks": step.checks,
                "is_risk": step.is_risk,
            }
            for step in sorted(power.steps.all(), key=lambda s: (s.position, s.pk))
        ],
    }


def snapshot(catalogue) -> list[dict]:
    powers = powers_for_snapshot(catalogue.powers.order_by("sequence", "id"))
    return [power_snapshot(power) for power in powers]


# Next year ---------------------------------------------------------------


@transaction.atomic
def carry_over(previous, campaign, by) -> dict:
    """Start ``campaign``'s catalogues from ``previous``'s.

    Categories are matched by code (missing ones copied), each section's
    catalogue becomes a draft holding copies of last year's powers with their
    posts and steps. Nothing is shared by reference; a section whose
    catalogue already has powers, or is no longer editable, is left alone.
    """
    campaign.ensure_open()
    if previous.pk == campaign.pk or previous.unit_id != campaign.unit_id:
        raise ReviewError(_("只能从本单位的其他年度活动导入职权目录。"))
    by_code = {c.code: c for c in campaign.power_categories.all()}
    by_name = {c.name: c for c in by_code.values()}
    old_categories = list(previous.power_categories.all())
    copies = []
    for old in old_categories:
        if old.code in by_code:
            continue
        if old.name in by_name:
            by_code[old.code] = by_name[old.name]
            continue
        copy = PowerCategory(
            campaign=campaign,
            code=old.code,
            name=old.name,
            group=old.group,
            display_order=old.display_order,
        )
        copies.append(copy)
        by_code[old.code] = by_name[old.name] = copy
    PowerCategory.objects.bulk_create(copies)
    if not by_code:
        ensure_categories(campaign)
        by_code = {c.code: c for c in campaign.power_categories.all()}

    taken = set(campaign.powers.values_list("code", flat=True))
    counts = {"catalogues": 0, "powers": 0, "steps": 0, "skipped": 0}
    old_catalogues = previous.catalogues.filter(section__is_active=True).select_related("section")
    for old_catalogue in old_catalogues:
        section = old_catalogue.section
        catalogue = _locked_catalogue(campaign, section)
        if catalogue.powers.exists() or not catalogue.is_editable:
            counts["skipped"] += 1
            continue
        counts["catalogues"] += 1
        old_powers = old_catalogue.powers.order_by("sequence", "id").select_related("category")
        old_powers = old_powers.prefetch_related("posts", "steps")
        for old in old_powers:
            if old.code in taken:
                counts["skipped"] += 1
                continue
            power = Power.objects.create(
                campaign=campaign,
                catalogue=catalogue,
                section=section,
                code=old.code,
                sequence=old.sequence,
                name=old.name,
                category=by_code[old.category.code],
                content=old.content,
                legal_basis=old.legal_basis,
                procedure=old.procedure,
                time_limit=old.time_limit,
                responsibility=old.responsibility,
                supervision_channel=old.supervision_channel,
                publicity=old.publicity,
                unpublished_reason=old.unpublished_reason,
                direction=old.direction,
                created_by=by,
            )
            taken.add(power.code)
            power.posts.set(list(old.posts.all()))
            steps = PowerStep.objects.bulk_create(
                PowerStep(
                    power=power,
                    position=position,
                    name=step.name,
                    post_id=step.post_id,
                    responsible=step.responsible,
                    time_limit=step.time_limit,
                    checks=step.checks,
                    is_risk=step.is_risk,
                )
                for position, step in enumerate(
                    sorted(old.steps.all(), key=lambda s: (s.position, s.pk)), start=1
                )
            )
            counts["powers"] += 1
            counts["steps"] += len(steps)
    record(
        campaign,
        by,
        "powers.carried_over",
        _("从“%(previous)s”导入职权目录：%(catalogues)d 个科室、%(powers)d 项职权")
        % {
            "previous": previous.title,
            "catalogues": counts["catalogues"],
            "powers": counts["powers"],
        },
    )
    return counts
