"""Every list of the API is paginated: ``?page=N`` and ``?taille=N`` (at most 200)."""

from collections import OrderedDict

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
