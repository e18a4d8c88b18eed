"""Background refresh of the published figures (django-tasks), the way DHIS2 rebuilds its
analytics tables: pages never aggregate raw rows per request."""

from django_tasks import task


@task()
def refresh_published_figures(force: bool = False) -> list[str]:
    """Publish every ended period not yet published (all of them with ``force``); returns the
    codes of the periods published (``"2025"``, ``"2026-T3"``…), nothing about any person."""
    from .publishing import refresh

    return refresh(force=force)
