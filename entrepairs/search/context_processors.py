"""The compact search field of the header, for the roles the search view lets in.

Who sees it is read from the search view's own declaration (``core.navigation.declared_roles``),
never from a list repeated here. It is left out of pages meant for persons (views declared
``@public``: the questionnaire, the person space), of the search page itself (which has its own
box), and of pages whose view is unknown (error pages).
"""

from entrepairs.core.access import access_rule_of
from entrepairs.core.navigation import declared_roles

SEARCH_URL_NAME = "search:search"


def header_search(request):
    membership = getattr(request, "membership", None)
    match = getattr(request, "resolver_match", None)
    if membership is None or match is None or match.view_name == SEARCH_URL_NAME:
        return {"header_search": False}
    rule = access_rule_of(match.func)
    shown = (
        rule is not None
        and rule.kind != "public"
        and membership.role in declared_roles(SEARCH_URL_NAME)
    )
    return {"header_search": shown}
