"""The home page's list of a person's own work.

Each app registers a provider that yields :class:`WorkItem` for one person:
forms to fill, reviews waiting, warnings to answer. The home page shows them
together, most urgent first.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass
class WorkItem:
    title: str
    url: str
    kind: str
    detail: str = ""
    due: date | None = None
    urgent: bool = False


_providers: list[Callable[[object], Iterable[WorkItem]]] = []


def register(provider: Callable[[object], Iterable[WorkItem]]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def work_for(user) -> list[WorkItem]:
    items: list[WorkItem] = []
    for provider in _providers:
        items.extend(provider(user))
    return sorted(items, key=lambda i: (not i.urgent, i.due or date.max, i.title))
