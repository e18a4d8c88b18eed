"""URLs of the benchmark server (config.settings.bench only): the project's URLs plus one bare
view, the floor that `make bench BENCH_SCALE=national` measures the peer pages against. The
bare view goes through the same middleware (session, sign-in, second factor, membership,
CSP…) as every page, then answers without any query of its own or template."""

from django.http import HttpResponse
from django.urls import path

from entrepairs.core.access import signed_in

from .urls import urlpatterns as project_urlpatterns


@signed_in
def bare(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/vue-nue/", bare, name="bench_bare"), *project_urlpatterns]
