"""``{% proconnect_button %}``: the ProConnect sign-in button, only when it is configured."""

from django import template

from ..oidc import enabled

register = template.Library()


@register.inclusion_tag("accounts/_proconnect_button.html", takes_context=True)
def proconnect_button(context):
    request = context.get("request")
    return {"enabled": enabled(), "next": request.GET.get("next", "") if request else ""}
