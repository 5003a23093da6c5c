from django.contrib.auth.backends import ModelBackend

from .models import User


class PeopleBackend(ModelBackend):
    """Django's model backend, loading the signed-in person with their
    section and post, which every page's frame shows."""

    def get_user(self, user_id):
        user = (
            User._default_manager.select_related("section", "post", "unit")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
