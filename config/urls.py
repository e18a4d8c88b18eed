from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import include, path, reverse


def admin_login(request, extra_context=None):
    """The admin has no login page of its own: everyone goes through the 2FA login.

    A signed-in user the admin refuses (a peer, say) is told so (403): sent to the login page,
    which sends signed-in users on to where they were going, they looped between the two."""
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect("admin:index")
        raise PermissionDenied
    return redirect_to_login(request.get_full_path(), reverse("accounts:login"))


admin.site.login = admin_login
admin.site.site_header = "Entre Pairs – gestion"

# Error pages in French, in the house layout: Django's default handlers render the templates
# 400.html, 403.html, 404.html and 500.html of templates/; CSRF failures: CSRF_FAILURE_VIEW.

urlpatterns = [
    path("", include("entrepairs.home.urls")),
    path("", include("entrepairs.core.urls")),
    path("compte/", include("entrepairs.accounts.urls")),
    path("territoire/", include("entrepairs.territory.urls")),
    path("equipe-pairs/", include("entrepairs.workforce.urls")),
    path("accompagnement/", include("entrepairs.accompaniment.urls")),
    path("groupes/", include("entrepairs.groups.urls")),
    path("institution/", include("entrepairs.institution.urls")),
    path("programme/", include("entrepairs.programmes.urls")),
    path("evaluation/", include("entrepairs.evaluation.urls")),
    path("plan-prevention/", include("entrepairs.prevention.urls")),
    path("observatoire/", include("entrepairs.observatory.urls")),
    path("recherche/", include("entrepairs.search.urls")),
    path("acces-api/", include("entrepairs.api.token_urls")),
    path("api/", include("entrepairs.api.urls")),
    path("gestion/", admin.site.urls),
]
