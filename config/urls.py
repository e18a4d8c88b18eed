from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse


def admin_login(request, extra_context=None):
    """The admin has no login page of its own: everyone goes through the 2FA login."""
    return redirect_to_login(request.get_full_path(), reverse("accounts:login"))


admin.site.login = admin_login
admin.site.site_header = "Entre Pairs – gestion"

urlpatterns = [
    path("", include("entrepairs.home.urls")),
    path("", include("entrepairs.core.urls")),
    path("compte/", include("entrepairs.accounts.urls")),
    path("territoire/", include("entrepairs.territory.urls")),
    path("equipe-pairs/", include("entrepairs.workforce.urls")),
    path("accompagnement/", include("entrepairs.accompaniment.urls")),
    path("groupes/", include("entrepairs.groups.urls")),
    path("institution/", include("entrepairs.institution.urls")),
    path("evaluation/", include("entrepairs.evaluation.urls")),
    path("plan-prevention/", include("entrepairs.prevention.urls")),
    path("observatoire/", include("entrepairs.observatory.urls")),
    path("recherche/", include("entrepairs.search.urls")),
    path("acces-api/", include("entrepairs.api.token_urls")),
    path("api/", include("entrepairs.api.urls")),
    path("gestion/", admin.site.urls),
]
