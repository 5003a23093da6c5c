"""The power catalogue (职权目录) as a filing table, registered with the
export centre (campaign.exports) when the app is ready.

The columns are also what ``powers/imports.py`` reads, so an exported
catalogue can be corrected in Excel and imported back.
"""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from campaign.exports import Export, register
from campaign.tables import Column, Table

from .access import sees_drafts
from .models import Catalogue, Power

CHUNK_SIZE = 2000

# Short forms for paper; the import accepts these and the full labels.
DIRECTION_SHORT = {
    Power.Direction.EXTERNAL: _("外部权力"),
    Power.Direction.INTERNAL: _("内部权力"),
}


def publicity_text(power) -> str:
    label = str(power.get_publicity_display())
    if power.publicity == Power.Publicity.UNPUBLISHED and power.unpublished_reason:
        return f"{label}（{power.unpublished_reason}）"
    return label


def post_names(power) -> str:
    return "、".join(post.name for post in power.posts.all())


CATALOGUE = Table(
    key="catalogue",
    title=_("{unit}职权目录"),
    columns=[
        Column("index", _("序号"), width=6, kind="number", align="center"),
        Column("section.name", _("科室"), width=11),
        Column("code", _("编码"), width=10, wrap=False),
        Column("name", _("职权名称"), width=16),
        Column("category.name", _("职权类别"), width=10),
        Column("direction", _("权力性质"), width=9, value=lambda p: DIRECTION_SHORT[p.direction]),
        Column("content", _("职权内容"), width=30),
        Column("legal_basis", _("行使依据"), width=28),
        Column("posts", _("行使岗位"), width=12, value=post_names),
        Column("time_limit", _("办理时限"), width=12),
        Column("supervision_channel", _("监督渠道"), width=14),
        Column("publicity", _("公开范围"), width=11, value=publicity_text),
    ],
    note=_("注：权力性质分外部权力（对外行使）和内部权力（内部管理）。"),
)


def catalogue_rows(campaign, user, section=None):
    powers = Power.objects.filter(campaign=campaign)
    if not sees_drafts(user, campaign):
        powers = powers.filter(catalogue__status=Catalogue.Status.APPROVED)
    if section is not None:
        powers = powers.filter(section=section)
    powers = (
        powers.select_related("section", "category")
        .prefetch_related("posts")
        .order_by(F("section__display_order").asc(), "section_id", "sequence", "code", "id")
    )
    for index, power in enumerate(powers.iterator(chunk_size=CHUNK_SIZE), start=1):
        power.index = index
        yield power


register(
    Export(
        key="catalogue",
        title=_("职权目录"),
        table=CATALOGUE,
        rows=catalogue_rows,
        per_section=True,
        description=_(
            "各科室的职权事项：编码、名称、类别、内容、依据、行使岗位、时限、监督渠道和公开范围。"
        ),
        order=10,
    )
)
