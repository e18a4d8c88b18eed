"""Unknown addresses under ``/api/``: the API's JSON 404, in French (a FHIR OperationOutcome
under ``/api/v1/fhir/``, as FHIR clients expect)."""

from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from ..base import ApiView, declared
from ..errors import not_found_response, operation_outcome


class NotFoundView(ApiView):
    schema = None  # not an endpoint of the description

    def get(self, request, *args, **kwargs):
        if request.path.startswith("/api/v1/fhir/"):
            with translation.override("fr"):
                body = operation_outcome(_("Cette adresse n'existe pas dans l'API."), "not-found")
            return Response(body, status=status.HTTP_404_NOT_FOUND)
        return not_found_response()


not_found = declared(NotFoundView)
