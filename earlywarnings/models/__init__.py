"""Early warning (预警): signals, the yearly integrity score, warnings and
their disposals, the holiday list, and the reminder jobs' bookkeeping.

* A :class:`WarningSignal` (预警信息 / 线索) is a fact that came in from an
  audit, an inspection, a petition … about a person, post, section or the
  whole unit. Petition and report signals (信访举报) are confidential: see
  ``earlywarnings/access.py`` for who may see them.
* Each person starts the year with the unit's base points; a
  :class:`Deduction` takes points off. :class:`YearlyScore` keeps the running
  total per person and year, and is the row a deduction locks.
* An :class:`EarlyWarning` has one of four levels, D (green) before any fault
  and C, B, A (blue, yellow, red) after faults. It is raised automatically
  when the year's deductions cross a threshold of the unit's
  :class:`WarningPolicy`, or by hand by the office or discipline inspection.
* A :class:`Disposal` (处置) is what is done about a warning: a reminder
  talk, a written inquiry, an admonishment … with a deadline, the concerned
  person's report and the office's evaluation. Warnings and disposals
  together are the warning disposal record (预警处置记录), see
  ``earlywarnings/records.py``.
* :class:`ReminderLog` and :class:`JobRun` belong to the Celery beat jobs in
  ``earlywarnings/reminders/``.

One module per part: ``common.py`` (levels, targets), ``policy.py`` (rules,
holidays, the settings log), ``signals.py`` (signals, attachments),
``scores.py`` (scores, deductions), ``warnings.py`` (warnings, disposals)
and ``jobs.py`` (the reminder jobs' bookkeeping). Django finds the models
through the imports below; the app label stays ``earlywarnings``.
"""

from .common import (
    FAULT_LEVELS,
    LEVEL_COLOURS,
    LEVEL_RANK,
    LEVELS_GRAVEST_FIRST,
    Level,
    Targeted,
    TargetKind,
)
from .policy import Holiday, SettingsChange, WarningPolicy
from .scores import Deduction, YearlyScore
from .signals import SignalAttachment, WarningSignal, signal_file_path
from .warnings import Disposal, EarlyWarning

# isort: split
# Last, so that Django registers the models in the order the single module had.
from .jobs import JobRun, ReminderLog

__all__ = [
    "FAULT_LEVELS",
    "LEVELS_GRAVEST_FIRST",
    "LEVEL_COLOURS",
    "LEVEL_RANK",
    "Deduction",
    "Disposal",
    "EarlyWarning",
    "Holiday",
    "JobRun",
    "Level",
    "ReminderLog",
    "SettingsChange",
    "SignalAttachment",
    "TargetKind",
    "Targeted",
    "WarningPolicy",
    "WarningSignal",
    "YearlyScore",
    "signal_file_path",
]
