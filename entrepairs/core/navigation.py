"""Navigation by role. Each app declares its entries in ``<app>/navigation.py``:

    NAV_ITEMS = [NavItem(_("Groupes"), "groups:group_list", order=30, group=ACTIVITY)]

An entry is shown to the roles its view declares (``core.access``), so the menu can never
offer a page that answers 403. ``only`` narrows an entry to some of those roles (to give a
page another label for one role, say); it may never widen them.

Entries are grouped by task under the few headings of ``GROUPS``, in the same order for every
role (a role sees the headings under which it has at least one entry): the header stays on one
line at 1280 px whatever the number of apps. An entry that names no group goes under "Outils".
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, get_script_prefix, resolve, reverse
from django.utils.translation import gettext_lazy as _

from .access import access_rule_of
from .roles import ALL_ROLES

# Group keys, for the apps' NAV_ITEMS.
PERSONS = "persons"
ACTIVITY = "activity"
TEAM = "team"
EVALUATION = "evaluation"
FIGURES = "figures"
TOOLS = "tools"

#: The menu's headings, in display order: at most six, the same for every role.
GROUPS = {
    PERSONS: _("Accompagnement"),
    ACTIVITY: _("Activités"),
    TEAM: _("Équipe"),
    EVALUATION: _("Évaluation"),
    FIGURES: _("Chiffres"),
    TOOLS: _("Outils"),
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 50
    only: frozenset | None = None
    group: str = TOOLS

    def __post_init__(self):
        if self.group not in GROUPS:
            raise ImproperlyConfigured(f"{self.url_name}: rubrique de menu inconnue {self.group}")

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


def _is_under(path: str, url: str) -> bool:
    """A page belongs to an entry when its path is the entry's or below it (a person's page is
    under "Personnes accompagnées"); the home page "/" is nobody's parent."""
    return path == url or (url != "/" and path.startswith(url))


def items_for(membership, path: str) -> list[dict]:
    """The entries the membership's role may open, flat, in menu order."""
    if membership is None:
        return []
    entries = []
    prefix = get_script_prefix()
    for item in all_items():
        if membership.role not in _roles_of(item):
            continue
        url = _url(item.url_name, prefix)
        if url is not None:
            entries.append({"label": item.label, "url": url, "group": item.group})
    # The deepest entry containing the path is the current one (one at most).
    containing = [e for e in entries if _is_under(path, e["url"])]
    current = max(containing, key=lambda e: len(e["url"]), default=None)
    for entry in entries:
        entry["current"] = entry is current
        entry["exact"] = entry["url"] == path
    return entries


def groups_for(membership, path: str) -> list[dict]:
    """The menu: the headings of ``GROUPS`` under which the role has entries, each with its
    entries; the heading holding the current page says so."""
    by_group: dict[str, list] = {}
    for entry in items_for(membership, path):
        by_group.setdefault(entry["group"], []).append(entry)
    return [
        {
            "key": key,
            "label": label,
            "items": by_group[key],
            "current": any(e["current"] for e in by_group[key]),
        }
        for key, label in GROUPS.items()
        if key in by_group
    ]
