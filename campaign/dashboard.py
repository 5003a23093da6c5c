"""The campaign dashboard is a frame of panels; apps register theirs.

A panel's ``context(campaign, user)`` must run a fixed number of queries,
whatever the unit's size: the dashboard as a whole is held to 25.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable
    order: int = 100
    width: str = "col-xl-6"
    visible: Callable | None = None


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels_for(campaign, user) -> list[dict]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        if panel.visible is not None and not panel.visible(campaign, user):
            continue
        shown.append({"panel": panel, "context": panel.context(campaign, user)})
    return shown


def active_sections(campaign) -> list:
    """The unit's active sections, fetched once per campaign object.

    Several panels need them; sharing the list keeps the dashboard within its
    query budget.
    """
    cached = getattr(campaign, "_active_sections", None)
    if cached is None:
        from accounts.models import Section

        cached = list(
            Section.objects.filter(unit_id=campaign.unit_id, is_active=True).order_by(
                "display_order", "pk"
            )
        )
        campaign._active_sections = cached
    return cached
