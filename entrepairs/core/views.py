from django.shortcuts import render

from .access import public


@public
def accessibility(request):
    return render(request, "core/accessibility.html")


@public
def legal(request):
    return render(request, "core/legal.html")


@public
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a French page in the house layout (Django's is English); the reason
    is for the logs only (Django logs it), never shown."""
    return render(request, "403_csrf.html", status=403)
