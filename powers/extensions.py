"""What the apps above powers (risks first) add to the power pages.

powers never imports them: they register here from their ``AppConfig.ready``
(usually in ``hooks.py``).

* :func:`register_power_page_section` — a titled block on a power's page,
  e.g. the risks app's "风险点" list. ``context(power, user)`` returns a
  dict, given to ``template`` as ``data`` (the page's ``power``, ``campaign``
  and ``request`` are there too); it must run a fixed number of queries. The
  template renders the block's body (the page draws the card and its title).
  powers itself never lists risk points: only the app that owns them knows
  who may read which (risks registers the list, filtered by the reader).
* :func:`set_risk_counter` — how many risk points a power has, as a query
  expression over ``Power`` (used by the catalogue list, the unit-wide
  overview and the dashboard panel to show coverage). Without it, powers
  counts the ``risk_points`` reverse relation when some app defines one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan


@dataclass(frozen=True)
class PowerPageSection:
    key: str
    title: str
    template: str
    context: Callable  # (power, user) -> dict
    order: int = 100
    visible: Callable | None = None  # (power, user) -> bool


power_page_sections: dict[str, PowerPageSection] = {}


def register_power_page_section(section: PowerPageSection) -> None:
    power_page_sections[section.key] = section


def sections_for(power, user) -> list[dict]:
    shown = []
    for section in sorted(power_page_sections.values(), key=lambda s: (s.order, s.key)):
        if section.visible is not None and not section.visible(power, user):
            continue
        shown.append({"section": section, "context": section.context(power, user)})
    return shown


_risk_counter: Callable | None = None


def set_risk_counter(counter: Callable | None) -> None:
    """``counter()`` returns an expression giving each Power row's risk-point count.

    Example (risks/hooks.py), counting only points not withdrawn::

        extensions.set_risk_counter(lambda: Coalesce(Subquery(
            RiskPoint.objects.filter(power=OuterRef("pk"), withdrawn=False)
            .order_by().values("power").annotate(n=Count("pk")).values("n")
        ), 0))
    """
    global _risk_counter
    _risk_counter = counter


def _risk_relation():
    from .models import Power

    try:
        field = Power._meta.get_field("risk_points")
    except FieldDoesNotExist:
        return None
    return field if field.is_relation and field.one_to_many else None


def tracks_risks() -> bool:
    """Whether some app records risk points against powers."""
    return _risk_counter is not None or _risk_relation() is not None


def risk_count_expression():
    """An expression for ``.annotate(risk_count=...)`` on Power querysets.

    ``None`` (shown as "—") when no app records risk points yet.
    """
    if _risk_counter is not None:
        return _risk_counter()
    relation = _risk_relation()
    if relation is None:
        return Value(None, output_field=IntegerField())
    model, fk = relation.related_model, relation.field.name
    counts = (
        model._default_manager.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def has_risks_expression():
    """A boolean expression for ``.annotate(has_risks=...)``: the power has at
    least one risk point (``None`` when no app records them).

    Where a page only asks *whether* a power is covered, this stops at the
    first point instead of counting them all for every power.
    """
    if _risk_counter is not None:
        return ExpressionWrapper(Q(GreaterThan(_risk_counter(), 0)), output_field=BooleanField())
    relation = _risk_relation()
    if relation is None:
        return Value(None, output_field=BooleanField())
    model, fk = relation.related_model, relation.field.name
    return Exists(model._default_manager.filter(**{fk: OuterRef("pk")}))
