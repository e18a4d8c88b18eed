import logging
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import DataError
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)


class RequestIdMiddleware:
    """Give each request an id, written in audit rows, so a support team can join logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = str(uuid.uuid4())
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response


class NoStoreMiddleware:
    """No browser, proxy or shared computer keeps a copy of a page: every page of the
    application may show personal data (a person's record, an export, a questionnaire
    answered through a personal link), so every response says ``no-store`` (with Django's
    ``never_cache`` headers). Static files (CSS, scripts, images) are the only exception."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
        return response


class DataErrorAsBadRequestMiddleware:
    """Answer 400 (the French "demande invalide" page), not 500, when the database refuses a
    value the request carried: a NUL character in a code read from the query string, a number
    beyond the column's range. Views and forms refuse such values themselves with a precise
    message; this is the net under the ones that read a parameter outside a form, so an
    attacker's ``?region=a%00b`` never becomes an error page with a trace in the logs.
    Nothing is half-saved: the write paths run in ``transaction.atomic()``, which the error
    has already rolled back when it reaches this middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DataError):
            logger.warning("Value refused by the database on %s: %s", request.path, exception)
            raise BadRequest(str(exception)) from exception
        return None
