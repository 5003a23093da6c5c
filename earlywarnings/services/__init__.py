"""State changes of early warning: signals, deductions (and the automatic
warnings they raise), warnings raised by hand, answers and disposals.

Every function checks who is acting and the state it starts from, runs in
one transaction, locks the row two people could change at once, saves with
``update_fields`` and notifies through ``accounts.services.notify`` (whose
e-mails go out after the commit). Refusals raise ``ReviewError`` with a
Chinese message.

No line goes to the campaign history (``campaign.audit``): warnings belong to
the unit, not to one campaign, and a campaign's history is read by every
watcher — a confidential signal must never surface there. Each row records
who did what and when itself; the office's changes to the unit's settings
(the rules and the holiday list) go to the unit's own log,
:class:`~earlywarnings.models.SettingsChange`.

Confidentiality in notifications: a confidential signal is announced only to
those who may see it (discipline inspection and the office head, minus the
person named and the head of their section), with no content in the
message; a warning raised from it tells the people it concerns the level and
the warning's own text, never its source.

One module per subject: ``signals.py``, ``deductions.py`` (with the
automatic warnings), ``warnings.py``, ``disposals.py`` and ``policy.py``
(the office's settings), on the shared helpers of ``common.py``. Callers
use ``earlywarnings.services.<function>`` as before.
"""

from .common import managers_of, warning_url_for
from .deductions import deduct
from .disposals import (
    add_disposal,
    close_disposal,
    default_reporter,
    evaluate_disposal,
    report_disposal,
)
from .policy import delete_holiday, save_holiday, save_policy
from .signals import add_attachment, record_signal, set_signal_status
from .warnings import answer_warning, close_warning, raise_warning

__all__ = [
    "add_attachment",
    "add_disposal",
    "answer_warning",
    "close_disposal",
    "close_warning",
    "deduct",
    "default_reporter",
    "delete_holiday",
    "evaluate_disposal",
    "managers_of",
    "raise_warning",
    "record_signal",
    "report_disposal",
    "save_holiday",
    "save_policy",
    "set_signal_status",
    "warning_url_for",
]
