"""What changed between two versions of a catalogue, power by power.

A version is a list of power snapshots (``services.power_snapshot``): the
snapshot kept when a revision was approved, or the live powers of a draft
or of another year's campaign. Powers are matched by code.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Power

PUBLICITY = dict(Power.Publicity.choices)
DIRECTION = dict(Power.Direction.choices)

# (key, label) in the order the changes are listed.
FIELDS = [
    ("name", _("职权名称")),
    ("category", _("职权类别")),
    ("direction", _("权力性质")),
    ("content", _("职权内容")),
    ("legal_basis", _("行使依据")),
    ("posts", _("行使岗位")),
    ("procedure", _("办理程序")),
    ("time_limit", _("办理时限")),
    ("responsibility", _("责任事项")),
    ("supervision_channel", _("监督渠道")),
    ("publicity", _("公开范围")),
    ("unpublished_reason", _("不公开理由")),
    ("steps", _("流程图")),
]


def step_line(position, step) -> str:
    parts = [p for p in (step.get("actor"), step.get("time_limit")) if p]
    line = f"{position}. {step.get('name', '')}"
    if parts:
        line += f"（{'，'.join(parts)}）"
    if step.get("is_risk"):
        line += " " + str(_("【风险点】"))
    return line


def display(key, value) -> str:
    if key == "publicity":
        return str(PUBLICITY.get(value, value or ""))
    if key == "direction":
        return str(DIRECTION.get(value, value or ""))
    if key == "posts":
        return "、".join(value or [])
    if key == "steps":
        return "\n".join(step_line(i, s) for i, s in enumerate(value or [], start=1))
    return value or ""


@dataclass
class FieldChange:
    key: str
    label: str
    old: str
    new: str

    @staticmethod
    def _unnumbered(line):
        # A step that only moved (its number changed) is not a change of its own.
        return re.sub(r"^\d+\. ", "", line)

    def _lines(self, mine, theirs):
        others = {self._unnumbered(line) for line in theirs.split("\n")}
        return (
            [(line, self._unnumbered(line) not in others) for line in mine.split("\n")]
            if mine
            else []
        )

    @property
    def old_lines(self):
        """``[(line, changed)]``: multi-line values (the steps) compared line by line."""
        return self._lines(self.old, self.new)

    @property
    def new_lines(self):
        return self._lines(self.new, self.old)


@dataclass
class PowerChange:
    code: str
    name: str
    old_name: str
    fields: list[FieldChange]


@dataclass
class Diff:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[PowerChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self):
        return not (self.added or self.removed or self.changed)


def compare_power(old: dict, new: dict) -> list[FieldChange]:
    changes = []
    for key, label in FIELDS:
        before, after = display(key, old.get(key)), display(key, new.get(key))
        if before != after:
            changes.append(FieldChange(key, str(label), before, after))
    return changes


def compare(old: list[dict], new: list[dict]) -> Diff:
    before = {p["code"]: p for p in old}
    after = {p["code"]: p for p in new}
    result = Diff()
    for code, power in after.items():
        if code not in before:
            result.added.append(power)
            continue
        changes = compare_power(before[code], power)
        if changes:
            result.changed.append(PowerChange(code, power["name"], before[code]["name"], changes))
        else:
            result.unchanged += 1
    result.removed = [power for code, power in before.items() if code not in after]
    return result
