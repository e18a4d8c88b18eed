"""Lists that sort, filter and export: the one component every list page of the project uses.

A list page declares a ``ListFilterSet`` (django-filter) with its filters, French labels, the
columns it may sort on (``SortFilter``: a whitelist) and its default order; the view builds a
``Listing`` from the request and the queryset it already scoped with ``visible_to()``:

- ``?tri=<key>`` or ``?tri=-<key>`` sorts on a whitelisted column only. Anything else (a
  tampered value, a field that is not offered) is ignored: the default order applies, never a
  500. The primary key always closes the order, so that pages never shuffle between requests.
- Filters are ordinary django-filter filters over the scoped queryset. A value that does not
  validate is ignored (the form says why) and the rest of the list is shown.
- ``Listing.page`` is the current page (50 rows); the query string without ``page`` is kept
  in the pagination links, the sort links and the export links.

An export (``export_response``) takes the same filterset, so it holds exactly the rows of the
filtered list (every page of it), in the same order, with the columns the view gives: never a
row the list would not show, never a column the role may not read. It is written in CSV (UTF-8
with a byte-order mark, ``;`` between fields, as French Excel opens it) or XLSX (openpyxl),
with a cell that would start a formula (``= + - @``, tab, carriage return) prefixed by ``'``.
The export and its audit event (``Action.EXPORT``, with the ids exported) happen in one
transaction: if the event cannot be written, no file leaves.
"""

import csv
import datetime
import io
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .audit import log_access
from .forms import PlausibleFormMixin
from .models import Action

SORT_PARAM = "tri"
FORMAT_PARAM = "format"
PAGE_SIZE = 50
# Beyond this, an export is refused with a message (filter the list first): a file is never
# cut short without a word.
EXPORT_MAX_ROWS = 10_000
EXPORT_FORMATS = ("csv", "xlsx")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ListFilterForm(PlausibleFormMixin, forms.Form):
    """The form of every list's filters: the shared plausibility rules, Bootstrap classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(field, forms.DateField):
                # A date input shows only an ISO value (the French d/m/Y would look empty).
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}-erreur"


class SortFilter(django_filters.OrderingFilter):
    """``?tri=`` over a whitelist of columns, the primary key closing the order."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Trier par"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        descending = ordering[0].startswith("-")
        return qs.order_by(*ordering, "-pk" if descending else "pk")


def label_rank(field: str, choices) -> Case:
    """An expression giving each code of ``choices`` the rank of its French label, so that a
    column of choices sorts as the reader sees it (not by the stored code)."""
    ranked = sorted(choices, key=lambda choice: _collation_key(str(choice[1])))
    return Case(
        *[When(**{field: code}, then=Value(rank)) for rank, (code, _label) in enumerate(ranked)],
        default=Value(len(ranked)),
        output_field=IntegerField(),
    )


def _collation_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class ListFilterSet(django_filters.FilterSet):
    """A list's filters and sort. Subclasses set ``tri = SortFilter(fields=...)`` and
    ``default_order``; ``membership`` is given so that the choices of a filter (facilities,
    peers) come from the current organisation only. ``choice_orders = {"kind": choices}``
    adds ``kind_rank`` (see ``label_rank``) to sort a column of choices by its labels."""

    default_order: tuple = ("-pk",)
    choice_orders: dict = {}

    def __init__(self, data=None, queryset=None, *, membership=None, **kwargs):
        self.membership = membership
        super().__init__(data, queryset, **kwargs)
        self.scope_choices(membership)

    class Meta:
        form = ListFilterForm

    def scope_choices(self, membership):
        """Narrow the querysets of choice filters to the current organisation (override)."""

    def filter_queryset(self, queryset):
        ranks = {f"{field}_rank": label_rank(field, c) for field, c in self.choice_orders.items()}
        if ranks:
            queryset = queryset.annotate(**ranks)
        return super().filter_queryset(queryset.order_by(*self.default_order, "pk"))

    # What the templates read ------------------------------------------------------------
    def sort_keys(self) -> set[str]:
        sort = self.filters.get(SORT_PARAM)
        return set(sort.param_map) if sort else set()

    def current_sort(self) -> str:
        """The sort key in force (``"alias"`` or ``"-alias"``), "" for the default order."""
        self.form.errors  # noqa: B018 - validates (a tampered value leaves cleaned_data)
        value = getattr(self.form, "cleaned_data", {}).get(SORT_PARAM)
        return value[0] if value else ""

    def visible_fields(self):
        return [f for f in self.form if f.name != SORT_PARAM]

    def is_filtered(self) -> bool:
        return any(
            self.data.get(name) not in (None, "") for name in self.filters if name != SORT_PARAM
        )


class Listing:
    """The sorted, filtered, paginated list of one request (see the module doc)."""

    def __init__(
        self,
        request,
        filterset_class: type[ListFilterSet],
        queryset,
        *,
        page_size: int = PAGE_SIZE,
        export_url: str = "",
    ):
        self.request = request
        self.filterset = filterset_class(
            _clean_query(request.GET), queryset, membership=request.membership
        )
        self.form = self.filterset.form
        self.page = Paginator(self.filterset.qs, page_size).get_page(request.GET.get("page"))
        self.export_url = export_url

    @property
    def rows(self):
        return self.page.object_list

    def query(self, **changes) -> str:
        return list_query(self.request, **changes)

    @property
    def extra_query(self) -> str:
        """For ``_pagination.html``: what the page links keep."""
        return self.query()

    def export_links(self) -> list[tuple[str, str]]:
        if not self.export_url:
            return []
        return [
            (fmt, f"{self.export_url}?{self.query(**{FORMAT_PARAM: fmt})}")
            for fmt in EXPORT_FORMATS
        ]

    def sort_link(self, key: str) -> tuple[str, str]:
        """For a column header: (href, aria-sort value) — a second click reverses."""
        current = self.filterset.current_sort()
        if current == key:
            return "?" + self.query(**{SORT_PARAM: f"-{key}"}), "ascending"
        if current == f"-{key}":
            return "?" + self.query(**{SORT_PARAM: key}), "descending"
        return "?" + self.query(**{SORT_PARAM: key}), ""


def list_query(request, **changes) -> str:
    """The list's query string without ``page`` and ``format``, with ``changes``."""
    params = {k: v for k, v in _clean_query(request.GET).items() if k not in ("page", FORMAT_PARAM)}
    params.update(changes)
    return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def export_url_for(request, view_name: str, roles) -> str:
    """The export's URL when the current role is in ``roles`` (the export view's own
    declaration), else "": the list then offers no export link."""
    membership = getattr(request, "membership", None)
    return reverse(view_name) if membership is not None and membership.role in roles else ""


def _clean_query(querydict):
    """The query as a plain dict of one value each, without NUL (PostgreSQL refuses it)."""
    return {
        key.replace("\x00", ""): value.replace("\x00", "")[:200] for key, value in querydict.items()
    }


# Exports ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of an export: its French header and how a row gives its value."""

    header: str
    value: Callable


def neutralise(value):
    """A text that a spreadsheet would run as a formula, made plain text (``'`` before)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, Promise):
        return str(value)
    return value


def export_format(request) -> str:
    fmt = request.GET.get(FORMAT_PARAM, "")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return fmt


def export_response(
    request,
    filterset_class: type[ListFilterSet],
    queryset,
    columns: Iterable[Column],
    *,
    basename: str,
    list_url: str,
):
    """The file of the filtered list (see the module doc), or back to the list with a
    message when it holds more than ``EXPORT_MAX_ROWS`` rows."""
    fmt = export_format(request)
    columns = list(columns)
    filterset = filterset_class(_clean_query(request.GET), queryset, membership=request.membership)
    with transaction.atomic():
        rows = list(filterset.qs[: EXPORT_MAX_ROWS + 1])
        if len(rows) > EXPORT_MAX_ROWS:
            messages.error(
                request,
                ngettext(
                    "L'export est limité à %(n)s ligne : filtrez la liste puis exportez-la.",
                    "L'export est limité à %(n)s lignes : filtrez la liste puis exportez-la.",
                    EXPORT_MAX_ROWS,
                )
                % {"n": EXPORT_MAX_ROWS},
            )
            query = list_query(request)
            return redirect(f"{list_url}?{query}" if query else list_url)
        table = [[neutralise(_plain(column.value(row))) for column in columns] for row in rows]
        headers = [str(column.header) for column in columns]
        body = _csv(headers, table) if fmt == "csv" else _xlsx(headers, table, basename)
        log_access(request, Action.EXPORT, model=filterset.queryset.model, ids=[r.pk for r in rows])
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(
        body,
        content_type=(
            "text/csv; charset=utf-8"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.{fmt}"'
    return response


def _csv(headers, table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    for row in table:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def _xlsx(headers, table, title) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table:
        sheet.append([_xlsx_cell(value) for value in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif isinstance(cell.value, datetime.datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value
