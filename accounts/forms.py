from django import forms

from .models import Notification, NotificationPreference


class NotificationPreferencesForm(forms.Form):
    """One tick box per kind of notification: also send it by e-mail?"""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        current = dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "by_email")
        )
        for kind, label in Notification.Kind.choices:
            self.fields[kind] = forms.BooleanField(
                label=label,
                required=False,
                initial=current.get(kind, kind in Notification.EMAIL_BY_DEFAULT),
            )

    def save(self):
        for kind, _label in Notification.Kind.choices:
            NotificationPreference.objects.update_or_create(
                user=self.user, kind=kind, defaults={"by_email": self.cleaned_data[kind]}
            )


class EmptyForm(forms.Form):
    """For confirm-only POSTs."""
