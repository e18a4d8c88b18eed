"""Errors of the API: always JSON, always in French, one shape.

``{"erreur": "<message>", "code": "<code>", "champs": {"<paramètre>": ["<message>"]}}``
(``champs`` only for a refused parameter). FHIR endpoints answer a FHIR ``OperationOutcome``
instead, as FHIR clients expect. Unknown addresses under ``/api/`` answer the same JSON 404.
"""

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

FHIR_ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    429: "throttled",
}


def _message(exc) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return _("Paramètres refusés : voir « champs ». Rien n'a été lu.")
    if isinstance(exc, exceptions.Throttled):
        if exc.wait:
            return _("Trop de requêtes : réessayez dans %(n)d secondes.") % {"n": int(exc.wait) + 1}
        return _("Trop de requêtes : réessayez plus tard.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Méthode non autorisée : cette adresse ne se lit qu'en GET.")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Format de réponse non disponible : demandez application/json.")
    if isinstance(exc, Http404):
        return _("Introuvable.")  # never Django's English text of get_object_or_404
    if isinstance(exc, exceptions.NotFound):
        detail = str(exc.detail)
        return _("Introuvable.") if detail == str(exceptions.NotFound.default_detail) else detail
    detail = getattr(exc, "detail", "")
    return str(detail) if isinstance(detail, str) else _("Requête refusée.")


def api_exception_handler(exc, context):
    with translation.override("fr"):
        response = exception_handler(exc, context)
        if response is None:
            return None  # a server error: Django's 500 (none is expected: see the fuzz test)
        view = context.get("view")
        payload = {"erreur": _message(exc), "code": _code(exc, response.status_code)}
        if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
            payload["champs"] = {
                field: [str(m) for m in (messages if isinstance(messages, list) else [messages])]
                for field, messages in exc.detail.items()
            }
        if getattr(view, "fhir", False):
            response.data = operation_outcome(
                payload["erreur"], FHIR_ISSUE_CODES.get(response.status_code, "processing")
            )
        else:
            response.data = payload
        return response


def _code(exc, status_code) -> str:
    codes = {
        400: "parametres_invalides",
        401: "non_authentifie",
        403: "droit_manquant",
        404: "introuvable",
        405: "methode_non_autorisee",
        406: "format_indisponible",
        429: "trop_de_requetes",
    }
    return codes.get(status_code, "erreur")


def operation_outcome(message: str, code: str, severity: str = "error") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": message}],
    }


def not_found_response() -> Response:
    with translation.override("fr"):
        return Response(
            {"erreur": _("Cette adresse n'existe pas dans l'API."), "code": "introuvable"},
            status=status.HTTP_404_NOT_FOUND,
        )
