"""The base of every API view: GET only, French, JSON, paginated, throttled, declared.

A view class says who may call it with one attribute, read both by the permission check and
by the access declaration of the URL (``core.access``), so that the two cannot differ:

- ``required_scope = Scope.X``: a token of an organisation carrying that scope;
- ``required_scope = None``: public by design (published figures, definitions, the schema).

URLs take ``declared(ViewClass)``, never ``ViewClass.as_view()`` directly.
"""

from django.utils import translation
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from entrepairs.core.access import api_token, public

from .authentication import ApiTokenAuthentication, HasTokenScope
from .pagination import ApiPagination
from .throttling import ApiRateThrottle


class FhirJsonRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class LenientNegotiation(DefaultContentNegotiation):
    """An ``Accept`` (or a ``?format=``) we cannot serve gets the view's first format rather
    than a 406 or a 404: machines often send ``*/*`` or ``text/html`` by default."""

    def filter_renderers(self, renderers, format):
        """An unknown ``?format=`` is ignored too (DRF answers a bare 404 that is neither the
        API's error nor, under FHIR, an OperationOutcome)."""
        return [r for r in renderers if r.format == format] or renderers

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type


class ApiView(APIView):
    required_scope: str | None = None
    fhir = False
    http_method_names = ["get", "head", "options"]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = LenientNegotiation
    throttle_classes = [ApiRateThrottle]
    pagination_class = ApiPagination

    def get_authenticators(self):
        return [ApiTokenAuthentication()] if self.required_scope else []

    def get_permissions(self):
        return [HasTokenScope()] if self.required_scope else []

    def dispatch(self, request, *args, **kwargs):
        with translation.override("fr"):
            return super().dispatch(request, *args, **kwargs)

    def paginate(self, items):
        """(paginator, page items) for a list or a queryset."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(items, self.request, view=self)
        return paginator, page

    @property
    def token(self):
        return self.request.auth


class FhirView(ApiView):
    fhir = True
    renderer_classes = [FhirJsonRenderer, JSONRenderer]


def declared(view_class, **initkwargs):
    """``view_class.as_view()`` with the access declaration its ``required_scope`` says."""
    view = view_class.as_view(**initkwargs)
    if view_class.required_scope:
        return api_token(view_class.required_scope)(view)
    return public(view)
