"""Navigation by role. Each app declares its entries in ``<app>/navigation.py``:

    NAV_ITEMS = [NavItem(_("Mes personnes"), "accompaniment:person_list", {Role.PEER}, order=20)]

so that the menu grows with the apps without a central list to edit.
"""

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, get_script_prefix, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset = field(default_factory=frozenset)
    order: int = 50


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


def items_for(membership, path: str) -> list[dict]:
    if membership is None:
        return []
    entries = []
    prefix = get_script_prefix()
    for item in all_items():
        if membership.role not in item.roles:
            continue
        url = _url(item.url_name, prefix)
        if url is not None:
            entries.append({"label": item.label, "url": url, "current": path == url})
    return entries
