"""Navigation entries, registered by each app for the roles that may use them.

Apps call :func:`register` from their ``AppConfig.ready``; the base template
shows a person the entries whose ``visible`` test passes for their standing.
Accounts knows nothing of the apps above it: they come to it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Standing, standing


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    visible: Callable[[Standing], bool]
    order: int = 100
    icon: str = "circle"
    # Entries sharing a group show as one drop-down, so the bar fits 1366 px.
    group: str | None = None


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    icon: str


_items: dict[str, NavItem] = {}
_groups: dict[str, NavGroup] = {}


def register(item: NavItem) -> None:
    _items[item.key] = item


def register_group(group: NavGroup) -> None:
    _groups[group.key] = group


def items_for(request) -> list[dict]:
    """The menu for this request: links, and drop-downs of grouped links.

    A group with a single visible entry shows as that entry alone.
    """
    user = request.user
    if not user.is_authenticated:
        return []
    who = standing(user)
    result, groups = [], {}
    for item in sorted(_items.values(), key=lambda i: (i.order, i.key)):
        if not item.visible(who):
            continue
        url = reverse(item.url_name)
        entry = {
            "key": item.key,
            "label": item.label,
            "url": url,
            "icon": item.icon,
            "active": False,
        }
        if item.group is None or item.group not in _groups:
            result.append(entry)
            continue
        if item.group not in groups:
            group = _groups[item.group]
            groups[item.group] = {
                "key": group.key,
                "label": group.label,
                "icon": group.icon,
                "children": [],
            }
            result.append(groups[item.group])
        groups[item.group]["children"].append(entry)
    _mark_active(request.path, result)
    for index, entry in enumerate(result):
        children = entry.get("children")
        if children is None:
            continue
        if len(children) == 1:
            result[index] = children[0]
        else:
            entry["active"] = any(child["active"] for child in children)
    return result


def _mark_active(path, entries):
    """Highlight the entry whose address is the longest prefix of ``path``
    (so /campaigns/reviews/ lights up 待审核, not also 防控活动)."""
    links = [e for entry in entries for e in entry.get("children", [entry])]
    matches = [
        e for e in links if e["url"] == path or (e["url"] != "/" and path.startswith(e["url"]))
    ]
    if matches:
        max(matches, key=lambda e: len(e["url"]))["active"] = True


register(NavItem("home", _("我的工作台"), "home", lambda s: True, order=0, icon="house"))
register_group(NavGroup("risk", _("风险防控"), "clipboard2-check"))
register_group(NavGroup("warning", _("预警监督"), "shield-exclamation"))
