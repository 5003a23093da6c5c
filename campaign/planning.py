"""State changes made on the campaign's set-up pages: its settings, the
plan's dates and milestones, grading and categories, approval chains, and
the mobilisation records (meetings and study materials).

They complete :mod:`campaign.services` (creating a campaign, stages, the
leading group) and follow the same rules: refuse a closed campaign, run in a
transaction, write the history line. The pages validate the input with their
forms first; the checks here are the last line, not the message people see.
"""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from .approvals import ReviewError
from .audit import record
from .models import Campaign, ChainStep, ChainTemplate, Milestone, lock_open
from .uploads import original_name


def _delete_file_later(field_file):
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


# Settings -------------------------------------------------------------------


@transaction.atomic
def update_campaign(campaign, by, fields) -> Campaign:
    """Save the changed settings ``fields`` already set on ``campaign``."""
    lock_open(campaign)
    fields = [f for f in fields if f not in {"id", "unit", "status", "created_by", "closed_at"}]
    if fields:
        campaign.save(update_fields=fields)
        names = "、".join(str(Campaign._meta.get_field(f).verbose_name) for f in fields)
        record(campaign, by, "campaign.updated", _("修改活动设置：%(fields)s") % {"fields": names})
    return campaign


# The plan ---------------------------------------------------------------------


@transaction.atomic
def save_plan(campaign, by, *, stages, saved_milestones=(), deleted_milestones=()) -> None:
    """Save stage dates and the milestones added, changed or removed.

    ``stages`` are the campaign's stages carrying their new dates;
    ``saved_milestones`` are unsaved or changed :class:`Milestone` objects.
    """
    lock_open(campaign)
    stage_ids = {stage.pk for stage in campaign.stages.all()}
    for stage in stages:
        if stage.pk not in stage_ids:
            raise ReviewError(_("阶段不属于本次活动。"))
        if stage.due_on < stage.starts_on:
            raise ReviewError(_("“%(stage)s”阶段的截止日期不能早于开始日期。") % {"stage": stage})
        stage.save(update_fields=["starts_on", "due_on", "description"])
    for milestone in deleted_milestones:
        if milestone.stage_id not in stage_ids:
            raise ReviewError(_("时间节点不属于本次活动。"))
        milestone.delete()
    for milestone in saved_milestones:
        if milestone.stage_id not in stage_ids:
            raise ReviewError(_("时间节点不属于本次活动。"))
        if milestone.responsible != Milestone.Responsible.SECTION:
            milestone.section = None
        milestone.save()
    for stage in stages:
        outside = Milestone.objects.filter(stage=stage).exclude(
            due_on__range=(stage.starts_on, stage.due_on)
        )
        if outside.exists():
            raise ReviewError(
                _("“%(stage)s”阶段有时间节点不在阶段的起止日期之内。") % {"stage": stage}
            )
    record(
        campaign,
        by,
        "plan.updated",
        _("调整工作计划：新增或修改时间节点 %(saved)d 个，删除 %(deleted)d 个")
        % {"saved": len(saved_milestones), "deleted": len(deleted_milestones)},
    )


# Grading and categories ------------------------------------------------------


def _park_names(objects, attr):
    """Give existing rows a temporary unique name first, so that swapping two
    names (高 and 中) never trips the unique-name constraint; the caller then
    saves the final names."""
    for obj in objects:
        if obj.pk:
            type(obj).objects.filter(pk=obj.pk).update(**{attr: f"~{obj.pk}"})


@transaction.atomic
def save_grading(
    campaign, by, *, levels=(), saved_categories=(), deleted_categories=(), high_grade_ratio=None
) -> None:
    """Grade labels and colours, the risk categories and the high-grade guideline."""
    lock_open(campaign)
    for level in levels:
        if level.campaign_id != campaign.pk:
            raise ReviewError(_("风险等级不属于本次活动。"))
    _park_names(levels, "label")
    for level in levels:
        level.save(update_fields=["label", "colour"])
    for category in deleted_categories:
        if category.campaign_id != campaign.pk:
            raise ReviewError(_("风险类别不属于本次活动。"))
        try:
            with transaction.atomic():
                category.delete()
        except ProtectedError as exc:
            raise ReviewError(
                _("风险类别“%(name)s”已被风险点使用，不能删除；可以改名。")
                % {"name": category.name}
            ) from exc
    for category in saved_categories:
        if category.pk and category.campaign_id != campaign.pk:
            raise ReviewError(_("风险类别不属于本次活动。"))
    _park_names(saved_categories, "name")
    for category in saved_categories:
        category.campaign = campaign
        category.save()
    if high_grade_ratio is not None and high_grade_ratio != campaign.high_grade_ratio:
        campaign.high_grade_ratio = high_grade_ratio
        campaign.save(update_fields=["high_grade_ratio"])
    record(campaign, by, "grading.updated", _("修改风险等级和风险类别设置"))


# Approval chains -------------------------------------------------------------


@transaction.atomic
def save_chain(campaign, by, *, subject, filer_rank, roles, note="", chain=None) -> ChainTemplate:
    """Create or change a chain; its steps are replaced by ``roles`` in order.

    Reviews already under way keep the steps they were given when submitted.
    """
    lock_open(campaign)
    roles = [role for role in roles if role]
    if not roles:
        raise ReviewError(_("审核流程至少需要一个审核环节。"))
    clash = ChainTemplate.objects.filter(campaign=campaign, subject=subject, filer_rank=filer_rank)
    if chain is not None:
        if chain.campaign_id != campaign.pk:
            raise ReviewError(_("审核流程不属于本次活动。"))
        clash = clash.exclude(pk=chain.pk)
    if clash.exists():
        raise ReviewError(_("该审核对象和填报人职级的流程已经存在。"))
    if chain is None:
        chain = ChainTemplate(campaign=campaign)
    chain.subject, chain.filer_rank, chain.note = subject, filer_rank, note
    chain.save()
    chain.steps.all().delete()
    ChainStep.objects.bulk_create(
        ChainStep(template=chain, position=i, role=role) for i, role in enumerate(roles, start=1)
    )
    record(
        campaign,
        by,
        "chain.saved",
        _("审核流程“%(chain)s”：%(flow)s") % {"chain": chain, "flow": chain.describe()},
        target=chain,
    )
    return chain


@transaction.atomic
def delete_chain(chain, by) -> None:
    campaign = chain.campaign
    lock_open(campaign)
    if chain.reviews.exists():
        raise ReviewError(_("该流程已有审核记录，不能删除；可以修改它的步骤。"))
    name = str(chain)
    chain.delete()
    record(campaign, by, "chain.deleted", _("删除审核流程“%(chain)s”") % {"chain": name})


# Mobilisation ---------------------------------------------------------------


def _store_upload(obj, field, name_field, upload, remove):
    old = getattr(obj, field)
    if upload is not None:
        if old:
            _delete_file_later(old)
        getattr(obj, field).save(upload.name, upload, save=False)
        setattr(obj, name_field, original_name(upload))
    elif remove and old:
        _delete_file_later(old)
        setattr(obj, field, "")
        setattr(obj, name_field, "")


@transaction.atomic
def save_meeting(meeting, by, *, attendees, upload=None, remove_file=False):
    """Save a mobilisation meeting with its attendees and minutes."""
    campaign = meeting.campaign
    lock_open(campaign)
    outsiders = [p for p in attendees if p.unit_id != campaign.unit_id]
    if outsiders:
        raise ReviewError(_("参会人员须为本单位人员。"))
    created = meeting.pk is None
    if created:
        meeting.created_by = by
    _store_upload(meeting, "minutes", "minutes_name", upload, remove_file)
    meeting.save()
    meeting.attendees.set(attendees)
    verb = _("登记会议") if created else _("修改会议")
    record(campaign, by, "meeting.saved", f"{verb}：{meeting.topic}", target=meeting)
    return meeting


@transaction.atomic
def delete_meeting(meeting, by) -> None:
    campaign = meeting.campaign
    lock_open(campaign)
    _delete_file_later(meeting.minutes)
    topic = meeting.topic
    meeting.delete()
    record(campaign, by, "meeting.deleted", _("删除会议：%(topic)s") % {"topic": topic})


@transaction.atomic
def save_material(material, by, *, upload=None, remove_file=False):
    campaign = material.campaign
    lock_open(campaign)
    created = material.pk is None
    _store_upload(material, "file", "file_name", upload, remove_file)
    material.save()
    verb = _("发布学习材料") if created else _("修改学习材料")
    record(campaign, by, "material.saved", f"{verb}：{material.title}", target=material)
    return material


@transaction.atomic
def delete_material(material, by) -> None:
    campaign = material.campaign
    lock_open(campaign)
    _delete_file_later(material.file)
    title = material.title
    material.delete()
    record(campaign, by, "material.deleted", _("删除学习材料：%(title)s") % {"title": title})
