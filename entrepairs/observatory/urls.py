from django.urls import path

from .views import activity, dashboards

app_name = "observatory"

urlpatterns = [
    path("mon-activite/", activity.my_activity, name="my_activity"),
    path("pairs/<int:pk>/activite/", activity.peer_activity, name="peer_activity"),
    path("regional/", dashboards.regional, name="regional"),
    path("national/", dashboards.national, name="national"),
]
