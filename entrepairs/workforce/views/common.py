"""Helpers shared by the workforce views."""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def date_input_attrs():
    return {"type": "date"}
