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


_items: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _items[item.key] = item


def items_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    who = standing(user)
    result = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.key)):
        if not item.visible(who):
            continue
        url = reverse(item.url_name)
        result.append(
            {
                "key": item.key,
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "active": request.path == url or (url != "/" and request.path.startswith(url)),
            }
        )
    return result


register(NavItem("home", _("我的工作台"), "home", lambda s: True, order=0, icon="house"))
