"""How a view declares who may open it: the one place a view's access rule is written.

Every view of the project carries exactly one declaration:

- ``@roles_required(ROLES)``: only a current membership whose role is in ``ROLES``
  (403 otherwise). The view then gets its objects through its app's ``access.py`` getters,
  over ``visible_to()``, so an object of another organisation answers 404.
- ``@signed_in``: any signed-in user, with or without a membership (their own account).
- ``@public``: no sign-in (public pages, magic links of persons, anonymous questionnaires).
- ``@api_token(scope)``: an HTTP API view opened only by an API token of an organisation
  carrying ``scope`` (``entrepairs.api``), never by a session: signed-in or not, a browser
  without a token gets 401. The API's permission class enforces it from the same scope.

Menus read these declarations (``core.navigation``) and the authorization matrix test checks
that every URL's view has one and that its expectations equal it.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

from .roles import ALL_ROLES


@dataclass(frozen=True)
class AccessRule:
    """The declaration carried by a view as ``view.access_rule``."""

    kind: str  # "roles", "signed_in", "public" or "api_token"
    roles: frozenset = frozenset()
    scope: str = ""  # kind "api_token": the scope the token must carry

    def allows(self, membership) -> bool:
        if self.kind == "roles":
            return membership is not None and membership.role in self.roles
        if self.kind == "api_token":
            return False  # no membership opens it: only a token does
        return True


def roles_required(roles):
    """Let the view run only when the current membership's role is in ``roles``."""
    roles = frozenset(roles)
    unknown = roles - ALL_ROLES
    if unknown or not roles:
        raise ValueError(f"Rôles inconnus ou vides : {sorted(unknown)}")
    rule = AccessRule("roles", roles)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rule.allows(getattr(request, "membership", None)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return decorator


def signed_in(view):
    """Any signed-in user (the login middleware sends the others to the login page)."""
    view.access_rule = AccessRule("signed_in")
    return view


def public(view):
    """No sign-in needed: the page is public by design."""
    view = login_not_required(view)
    view.access_rule = AccessRule("public")
    return view


def api_token(scope: str):
    """An API view for tokens carrying ``scope``: no session lets in (see module doc)."""
    if not scope:
        raise ValueError("Un jeton d'API demande un droit (scope)")
    rule = AccessRule("api_token", scope=scope)

    def decorator(view):
        view = login_not_required(view)
        view.access_rule = rule
        return view

    return decorator


def access_rule_of(view) -> AccessRule | None:
    """The declaration of a resolved view (through decorators that keep ``__wrapped__``)."""
    while view is not None:
        rule = getattr(view, "access_rule", None)
        if rule is not None:
            return rule
        view = getattr(view, "__wrapped__", None)
    return None
