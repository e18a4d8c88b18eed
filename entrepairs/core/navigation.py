"""Navigation by role. Each app declares its entries in ``<app>/navigation.py``:

    NAV_ITEMS = [NavItem(_("Groupes"), "groups:group_list", order=30)]

An entry is shown to the roles its view declares (``core.access``), so the menu can never
offer a page that answers 403. ``only`` narrows an entry to some of those roles (to give a
page another label for one role, say); it may never widen them.
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, get_script_prefix, resolve, reverse

from .access import access_rule_of
from .roles import ALL_ROLES


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 50
    only: frozenset | None = None

    @property
    def roles(self) -> frozenset:
        """The roles that see the entry: those of its view, narrowed by ``only``."""
        view_roles = declared_roles(self.url_name)
        if self.only is None:
            return view_roles
        if not self.only <= view_roles:
            raise ImproperlyConfigured(
                f"{self.url_name}: le menu offre la page à {sorted(self.only - view_roles)}"
                " que la vue refuse"
            )
        return frozenset(self.only)


@cache
def declared_roles(url_name: str) -> frozenset:
    """The roles the view behind ``url_name`` lets in (every role for signed-in pages)."""
    rule = access_rule_of(resolve(reverse(url_name)).func)
    if rule is None:
        raise ImproperlyConfigured(f"{url_name}: la vue ne déclare pas ses rôles")
    if rule.kind == "api_token":
        return frozenset()  # a machine's URL: never in a menu
    return rule.roles if rule.kind == "roles" else ALL_ROLES


@cache
def all_items() -> list[NavItem]:
    items = []
    for config in apps.get_app_configs():
        if not config.name.startswith("entrepairs."):
            continue
        try:
            module = import_module(f"{config.name}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "NAV_ITEMS", []))
    return sorted(items, key=lambda item: item.order)


@cache
def _url(url_name: str, script_prefix: str) -> str | None:
    """Menu URLs take no argument: reversed once per process (every page shows the menu)."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


@cache
def _roles_of(item: NavItem) -> frozenset:
    return item.roles


def items_for(membership, path: str) -> list[dict]:
    if membership is None:
        return []
    entries = []
    prefix = get_script_prefix()
    for item in all_items():
        if membership.role not in _roles_of(item):
            continue
        url = _url(item.url_name, prefix)
        if url is not None:
            entries.append({"label": item.label, "url": url, "current": path == url})
    return entries
