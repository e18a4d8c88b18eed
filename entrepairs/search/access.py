"""Who may search: the roles that work inside one organisation.

Each kind of result keeps the roles of the app that owns it (``sources.py`` reads them from
that app's ``access.py``) and is fetched through that app's ``visible_to()``: the search never
shows what the owning app's own list would not.
"""

from entrepairs.core.roles import ORGANISATION_ROLES

# Observers and admins hold no records of an organisation: there is nothing for them to find.
SEARCHERS = ORGANISATION_ROLES
