"""Template tags of the list component (``core/listing.py``): sortable column headers."""

from django import template

register = template.Library()


@register.inclusion_tag("_sortable_th.html")
def sortable_th(listing, key, label, css_class=""):
    """A column header that sorts the list on ``key`` when the list allows it, else a plain
    header. ``aria-sort`` tells screen readers the current order."""
    if not listing or key not in listing.filterset.sort_keys():
        return {"label": label, "href": "", "aria_sort": "", "css_class": css_class}
    href, aria_sort = listing.sort_link(key)
    return {"label": label, "href": href, "aria_sort": aria_sort, "css_class": css_class}
