"""Every list of the API is paginated: ``?page=N`` and ``?taille=N`` (at most 200)."""

from collections import OrderedDict

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class ApiPagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_query_param = "page"
    page_size_query_param = "taille"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = f"Nombre de résultats par page (au plus {MAX_PAGE_SIZE})."
    page_query_description = "Numéro de la page (à partir de 1)."

    def paginate_queryset(self, queryset, request, view=None):
        """``page`` and ``taille`` must be whole numbers from 1 (``taille`` up to 200): any
        other value is refused (400), never silently replaced. A page past the last: 404."""
        errors = {}
        for name, maximum in (
            (self.page_query_param, None),
            (self.page_size_query_param, MAX_PAGE_SIZE),
        ):
            raw = request.query_params.get(name)
            if raw is None:
                continue
            if (
                not (raw.isascii() and raw.isdigit())
                or int(raw) < 1
                or (maximum and int(raw) > maximum)
            ):
                errors[name] = [
                    _("Nombre entier de 1 à %(max)s attendu.") % {"max": maximum}
                    if maximum
                    else _("Nombre entier à partir de 1 attendu.")
                ]
        if errors:
            raise ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data, **extra):
        return Response(
            OrderedDict([*self.envelope().items(), *extra.items(), ("resultats", data)])
        )

    def envelope(self) -> dict:
        return {
            "nombre": self.page.paginator.count,
            "page": self.page.number,
            "pages": self.page.paginator.num_pages,
            "suivant": self.get_next_link(),
            "precedent": self.get_previous_link(),
        }

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["nombre", "page", "pages", "suivant", "precedent", "resultats"],
            "properties": {
                "nombre": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "pages": {"type": "integer", "minimum": 1},
                "suivant": {"type": "string", "format": "uri", "nullable": True},
                "precedent": {"type": "string", "format": "uri", "nullable": True},
                "resultats": schema,
            },
        }
