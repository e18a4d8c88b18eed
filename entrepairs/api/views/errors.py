"""Unknown addresses under ``/api/``: the API's JSON 404, in French."""

from ..base import ApiView, declared
from ..errors import not_found_response


class NotFoundView(ApiView):
    schema = None  # not an endpoint of the description

    def get(self, request, *args, **kwargs):
        return not_found_response()


not_found = declared(NotFoundView)
