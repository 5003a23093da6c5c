from . import navigation
from .models import Notification
from .roles import standing


def interface(request):
    """What every page's frame needs: the menu, the unread count, the roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": navigation.items_for(request),
        "unread_count": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        "role_labels": standing(user).labels(),
    }
