"""``{% load durations %}``: durations written the French way (``1 h 30``)."""

from django import template

register = template.Library()


@register.filter
def minutes_hm(minutes):
    """90 → "1 h 30", 45 → "45 min", 120 → "2 h"."""
    if minutes in (None, ""):
        return ""
    minutes = int(minutes)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
