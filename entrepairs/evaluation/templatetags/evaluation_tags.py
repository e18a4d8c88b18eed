from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value, digits=1):
    """A French-formatted number, or a dash when there is none."""
    if value is None or value == "":
        return "–"
    return number_format(round(float(value), int(digits)), int(digits))


@register.filter
def percent(value, digits=1):
    if value is None:
        return "–"
    return f"{number_format(round(float(value) * 100, int(digits)), int(digits))} %"


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` or None (published figures by breakdown)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
