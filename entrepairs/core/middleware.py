import uuid


class RequestIdMiddleware:
    """Give each request an id, written in audit rows, so a support team can join logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = str(uuid.uuid4())
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response
