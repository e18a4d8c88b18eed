"""Permission predicates for views. Access rules live here and in ``visible_to()`` managers."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def role_required(*roles):
    """Let the view run only when the current membership has one of ``roles`` (403 otherwise).

    Objects are then fetched through ``Model.objects.visible_to(request.membership)``, so an
    object of another organisation answers 404.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            membership = getattr(request, "membership", None)
            if membership is None or membership.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator
