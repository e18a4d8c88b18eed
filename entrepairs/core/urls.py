from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions/", views.legal, name="legal"),
]
