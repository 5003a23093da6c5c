"""The review of one step: a grade and a reason per risk point (就高不就低),
the opinion, and the party committee's meeting date."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.models import StepRole

from .. import services
from .widgets import DATE_FORMAT, CachedChoiceField, shared_choices


class ReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    opinion = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("同意时可填写意见；退回时必须填写退回理由。"),
    )
    meeting_date = forms.DateField(
        label=_("党委（党组）会议日期"),
        required=False,
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"type": "date", "class": "form-control"}),
    )

    def __init__(self, *args, points, levels, step, baselines=None, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.points, self.step, self.action = points, step, action
        # The grade below which a reason is needed: at a final step (leading
        # group, party committee) the final grade set before counts too.
        if baselines is None:
            baselines = {
                point.pk: services.baseline(point, final=step.is_final) for point in points
            }
        self.baselines = baselines
        self.levels = list(levels)
        by_pk = {level.pk: level for level in self.levels}
        choices = shared_choices(self.levels, lambda level: level.label, empty=False)
        for point in points:
            current = point.grade or baselines.get(point.pk)
            field = CachedChoiceField(
                label=_("等级"), required=True, initial=current.pk if current else None
            )
            field.use(by_pk, choices)
            field.widget.attrs.update(
                {"class": "form-select form-select-sm", "data-review-grade": ""}
            )
            self.fields[f"grade_{point.pk}"] = field
            self.fields[f"reason_{point.pk}"] = forms.CharField(
                label=_("调整理由"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(
                    attrs={
                        "rows": 1,
                        "class": "form-control form-control-sm",
                        "data-review-reason": "",
                    }
                ),
            )
        if step.role != StepRole.PARTY_COMMITTEE:
            del self.fields["meeting_date"]

    def clean(self):
        cleaned = super().clean()
        if self.action == self.RETURN and not (cleaned.get("opinion") or "").strip():
            self.add_error("opinion", _("退回时必须填写退回理由。"))
        if (
            self.action == self.APPROVE
            and "meeting_date" in self.fields
            and not cleaned.get("meeting_date")
            and "meeting_date" not in self.errors
        ):
            self.add_error("meeting_date", _("党委（党组）审核须填写会议日期。"))
        return cleaned

    def grades(self):
        return {
            point.pk: (
                self.cleaned_data[f"grade_{point.pk}"],
                self.cleaned_data.get(f"reason_{point.pk}", ""),
            )
            for point in self.points
        }

    def mark_missing_reasons(self):
        """Put "reason needed" next to each point graded below its baseline
        (:func:`risks.services.baseline` for this step) without one."""
        for point in self.points:
            level = self.cleaned_data.get(f"grade_{point.pk}")
            baseline = self.baselines.get(point.pk)
            reason = (self.cleaned_data.get(f"reason_{point.pk}") or "").strip()
            if (
                level is not None
                and baseline is not None
                and level.rank > baseline.rank
                and not reason
            ):
                self.add_error(
                    f"reason_{point.pk}",
                    _("低于%(level)s须说明理由（就高不就低）。") % {"level": baseline.label},
                )

    def rows(self):
        return [
            {
                "point": point,
                "grade": self[f"grade_{point.pk}"],
                "reason": self[f"reason_{point.pk}"],
                "baseline": self.baselines.get(point.pk),
            }
            for point in self.points
        ]
