"""Forms of the risks pages, split by area.

The filing form is one page per filing: a small filing-level form
(:mod:`.filing`: the hidden version for the stale-copy check, the section
meeting date) and a risk-point formset (:mod:`.points`) whose every form
carries its own nested measures formset (:mod:`.measures`, prefix
``points-<n>-measures``). A filing may hold thirty points with ninety
measures, so everything the rows choose from is loaded once per page by
:class:`FilingChoices` (:mod:`.choices`) and shared by every row through the
widgets and fields of :mod:`.widgets`: rendering or validating the page runs
no query per row.

Also here: the submission with the pledge (:mod:`.filing`), the review of one
step (:mod:`.review`), evidence uploads (:mod:`.evidence`), the library search
(:mod:`.library`) and the filter bars of the oversight pages
(:mod:`.oversight`).

Every public name is importable from ``risks.forms`` as before the split.
"""

from .choices import (
    FilingChoices,
    default_owner_id,
    owner_people,
    powers_for,
    read_ratings,
)
from .evidence import EvidenceField, EvidenceForm
from .filing import FilingForm, SubmitForm
from .library import LibrarySearchForm
from .measures import BaseMeasureFormSet, MeasureForm, MeasureFormSet, PreloadedInlineFormSet
from .oversight import FilingFilter, RegisterFilter
from .points import (
    BaseRiskPointFormSet,
    FoundByField,
    LibraryEntryField,
    RiskPointForm,
    RiskPointFormSet,
    point_formset,
)
from .review import ReviewForm
from .widgets import (
    DATE_FORMAT,
    EMPTY_LABEL,
    FACTORS,
    OWNER_CHOICES_LIMIT,
    CachedChoiceField,
    FastCheckbox,
    FastDateInput,
    FastHiddenInput,
    FastInput,
    FastSelect,
    FastTextarea,
    KnownObjectField,
    LazySelect,
    SharedChoices,
)

__all__ = [
    "DATE_FORMAT",
    "EMPTY_LABEL",
    "FACTORS",
    "OWNER_CHOICES_LIMIT",
    "BaseMeasureFormSet",
    "BaseRiskPointFormSet",
    "CachedChoiceField",
    "EvidenceField",
    "EvidenceForm",
    "FastCheckbox",
    "FastDateInput",
    "FastHiddenInput",
    "FastInput",
    "FastSelect",
    "FastTextarea",
    "FilingChoices",
    "FilingFilter",
    "FilingForm",
    "FoundByField",
    "KnownObjectField",
    "LazySelect",
    "LibraryEntryField",
    "LibrarySearchForm",
    "MeasureForm",
    "MeasureFormSet",
    "PreloadedInlineFormSet",
    "RegisterFilter",
    "ReviewForm",
    "RiskPointForm",
    "RiskPointFormSet",
    "SharedChoices",
    "SubmitForm",
    "default_owner_id",
    "owner_people",
    "point_formset",
    "powers_for",
    "read_ratings",
]
