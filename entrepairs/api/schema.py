"""Helpers for the OpenAPI description: paginated envelopes and documented errors.

Every status an endpoint can answer is described, with its body, so that a client (and the
fuzz test, tests/api/test_fuzz.py) can check each answer against the description.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .serializers import ErrorSerializer, OperationOutcomeSerializer

_pages = {}

ERROR_TEXTS = {
    400: "Paramètres refusés (message en français, détail par paramètre).",
    401: "Jeton absent, inconnu, expiré ou révoqué.",
    403: "Le jeton n'a pas le droit demandé.",
    404: "Introuvable (ou d'une autre organisation).",
    429: "Trop de requêtes : réessayez après le délai de l'en-tête Retry-After.",
}


def page_of(serializer_class, name: str, envelope=None):
    """A serializer for one page of ``serializer_class`` items (see ``ApiPagination``)."""
    key = (serializer_class, name)
    if key not in _pages:
        fields = {
            "nombre": serializers.IntegerField(min_value=0, help_text="Nombre total de résultats."),
            "page": serializers.IntegerField(min_value=1),
            "pages": serializers.IntegerField(min_value=1),
            "suivant": serializers.URLField(allow_null=True),
            "precedent": serializers.URLField(allow_null=True),
            "resultats": serializer_class(many=True),
        }
        base = envelope or serializers.Serializer
        _pages[key] = type(name, (base,), fields)
    return _pages[key]


def responses(ok, *statuses, fhir=False):
    body = OperationOutcomeSerializer if fhir else ErrorSerializer
    described = {200: ok}
    for status in (400, 404, 429, *statuses):
        described[status] = OpenApiResponse(body, description=ERROR_TEXTS[status])
    return described


def token_responses(ok, *statuses, fhir=False):
    return responses(ok, 401, 403, *statuses, fhir=fhir)


PAGE_PARAMETERS = [
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1},
        description="Numéro de la page (à partir de 1).",
    ),
    OpenApiParameter(
        "taille",
        {"type": "integer", "minimum": 1, "maximum": 200},
        description="Résultats par page (50 par défaut, au plus 200).",
    ),
]


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The bearer token of ``ApiTokenAuthentication`` in the description (``jeton``)."""

    target_class = "entrepairs.api.authentication.ApiTokenAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Jeton d'API de l'organisation, créé dans « Accès API » : "
            "en-tête « Authorization: Bearer ep_… ».",
        }
