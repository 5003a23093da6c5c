"""Builds the demo campaign's power catalogues: each of the six demo sections
lists the powers an investment-promotion office exercises, with legal bases
and flowcharts of the key ones.

The catalogues go through the approval-chain engine and end in mixed states:
办公室、招商二科 approved; 计划财务科 approved twice (its history shows what
changed); 项目服务科 approved, then reopened as a draft second revision;
招商一科 returned by the office; 投资服务中心 waiting for the office.

The invented texts are in ``content`` (one module per section group); this
module only files them, so the texts can change without touching the code.

``load(context)`` is idempotent: a section whose catalogue already exists in
the demo campaign is left as it is.
"""

import logging

from django.db import transaction

from campaign import approvals
from campaign.approvals import ReviewError
from campaign.models import Campaign

from .. import services
from ..models import Catalogue, Power, PowerStep
from .content import CATALOGUES, JHCW_REVISION, PLAN, RETURN_REASON, XMFW_REVISION

logger = logging.getLogger(__name__)

CAMPAIGN_TITLE = "2026年度廉政风险防控工作"
SUPERVISION = "区投促办纪检组；监督电话 0571-8800 1234"


def _campaign(context):
    campaign = context.get("campaign")
    if campaign is None and context.get("unit") is not None:
        campaign = Campaign.objects.filter(unit=context["unit"], title=CAMPAIGN_TITLE).first()
    return campaign


def _post(posts, section_code, name):
    if name and ":" in name:
        section_code, name = name.split(":", 1)
    return posts.get((section_code, name)) if name else None


def _add_power(campaign, catalogue, section, spec, posts, categories, by):
    sequence, code = services.next_code(campaign, section)
    item = Power.objects.create(
        campaign=campaign,
        catalogue=catalogue,
        section=section,
        code=code,
        sequence=sequence,
        name=spec["name"],
        category=categories[spec["category"]],
        direction=spec["direction"],
        content=spec["content"],
        legal_basis=spec["legal_basis"],
        procedure=spec["procedure"],
        time_limit=spec["time_limit"],
        responsibility=spec["responsibility"],
        supervision_channel=SUPERVISION,
        publicity=spec["publicity"],
        unpublished_reason=spec["unpublished_reason"],
        created_by=by,
    )
    item.posts.set([_post(posts, section.code, name) for name in spec["posts"]])
    for position, row in enumerate(spec["steps"], start=1):
        _add_step(item, position, row, posts, section)
    return item


def _add_step(item, position, row, posts, section):
    name, post, responsible, limit, checks, risk = row
    return PowerStep.objects.create(
        power=item,
        position=position,
        name=name,
        post=_post(posts, section.code, post),
        responsible=responsible,
        time_limit=limit,
        checks=checks,
        is_risk=risk,
    )


def _decide(catalogue, *, approve=True, reason=""):
    """The open step's reviewer (the office head when among them) decides."""
    step = approvals.open_step_for(catalogue)
    if step is None:
        return
    reviewers = list(step.assignees.all())
    reviewer = next((p for p in reviewers if p.username == "bangongshi"), reviewers[0])
    if approve:
        approvals.approve(step.pk, reviewer, opinion="经审核，职权梳理完整，依据准确，同意。")
    else:
        approvals.return_for_changes(step.pk, reviewer, reason=reason)


def _approve_fully(catalogue, by):
    services.submit_catalogue(catalogue, by)
    for _ in range(5):
        catalogue.refresh_from_db()
        if catalogue.status != Catalogue.Status.IN_REVIEW:
            break
        _decide(catalogue)


def _revise(catalogue, head, change, posts, categories):
    campaign, section = catalogue.campaign, catalogue.section
    catalogue = services.open_revision(catalogue, head)
    item = catalogue.powers.get(code=change["code"])
    if "time_limit" in change:
        item.time_limit = change["time_limit"]
    if "responsibility" in change:
        item.responsibility = change["responsibility"]
    item.save()
    if "new_step" in change:
        after = item.steps.get(name=change["new_step_after"]).position
        for later in item.steps.filter(position__gt=after).order_by("-position"):
            later.position += 1
            later.save(update_fields=["position"])
        _add_step(item, after + 1, change["new_step"], posts, section)
    _add_power(campaign, catalogue, section, change["added"], posts, categories, head)
    return catalogue


@transaction.atomic
def load(context):
    campaign = _campaign(context)
    if campaign is None or campaign.is_closed:
        return context
    sections, posts = context["sections"], context["posts"]
    categories = {c.code: c for c in services.ensure_categories(campaign)}
    for code, specs in CATALOGUES.items():
        section = sections[code]
        if Catalogue.objects.filter(campaign=campaign, section=section).exists():
            continue
        head = section.head
        catalogue = services.catalogue_for(campaign, section)
        catalogue.campaign, catalogue.section = campaign, section
        for spec in specs:
            _add_power(campaign, catalogue, section, spec, posts, categories, head)
        try:
            _review(PLAN[code], catalogue, head, posts, categories)
        except ReviewError:
            logger.warning(
                "demo: the %s catalogue could not go through review", code, exc_info=True
            )
    context["catalogues"] = {
        c.section.code: c
        for c in Catalogue.objects.filter(campaign=campaign).select_related("section")
    }
    return context


def _review(plan, catalogue, head, posts, categories):
    if plan == "approved":
        _approve_fully(catalogue, head)
    elif plan == "returned":
        services.submit_catalogue(catalogue, head)
        _decide(catalogue, approve=False, reason=RETURN_REASON)
    elif plan == "in_review":
        services.submit_catalogue(catalogue, head)
    elif plan == "approved_twice":
        _approve_fully(catalogue, head)
        catalogue = _revise(_fresh(catalogue), head, JHCW_REVISION, posts, categories)
        _approve_fully(catalogue, head)
    elif plan == "revising":
        _approve_fully(catalogue, head)
        _revise(_fresh(catalogue), head, XMFW_REVISION, posts, categories)


def _fresh(catalogue):
    campaign, section = catalogue.campaign, catalogue.section
    catalogue.refresh_from_db()
    catalogue.campaign, catalogue.section = campaign, section
    return catalogue
