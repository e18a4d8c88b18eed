import uuid

from django.conf import settings
from django.utils.cache import add_never_cache_headers


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
