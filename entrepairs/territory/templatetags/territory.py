"""``{% latest_sae_year as year %}``: the latest SAE year imported, for the sources lines (no
year is written in the templates: a new year's import changes every page)."""

from django import template

from entrepairs.territory.models import ContextFigures

register = template.Library()


@register.simple_tag
def latest_sae_year():
    return ContextFigures.objects.latest_year()
