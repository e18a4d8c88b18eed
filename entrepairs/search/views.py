"""One search across what the current role may see, grouped by kind, each result linked."""

from django.db import transaction
from django.shortcuts import render

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action

from .access import SEARCHERS
from .forms import SearchForm
from .sources import sources_for


@roles_required(SEARCHERS)
def search(request):
    """Search the kinds the role may read; log what was shown, never the words typed.

    The words may hold a person's name or pseudonym: the audit event keeps the ids of the
    records shown (``Action.SEARCH``, one event per kind, ``path`` without the query string),
    so the log says who found which record, and the person sees it in their space.
    """
    membership = request.membership
    form = SearchForm(request.GET) if "q" in request.GET else SearchForm()
    groups, searched = [], False
    if form.is_bound and form.is_valid():
        searched = True
        words = form.cleaned_data["words"]
        sources = sources_for(membership)
        for source in sources:
            rows, more = source.search(membership, words)
            if rows:
                groups.append(
                    {
                        "source": source,
                        "results": [(source.describe(r), source.url(r)) for r in rows],
                        "more": more,
                        "rows": rows,
                    }
                )
        with transaction.atomic():
            logged = [g for g in groups if g["source"].audited]
            for group in logged:
                log_access(request, Action.SEARCH, group["rows"])
            if not logged and sources:
                # A search that showed no record is logged too (against its first kind).
                model = sources[0].queryset(membership).model
                log_access(request, Action.SEARCH, model=model, ids=[])
    return render(
        request,
        "search/search.html",
        {"form": form, "groups": groups, "searched": searched},
    )
