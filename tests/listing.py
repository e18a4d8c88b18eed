"""Helpers for the tests of lists that sort, filter and export (entrepairs/core/listing.py)."""

import csv
import io
from html.parser import HTMLParser

from openpyxl import load_workbook

from entrepairs.core.models import AccessEvent
from tests.utils import assert_constant_queries


class _Rows(HTMLParser):
    """The text of every cell of the ``<tbody>`` rows of the page's first table."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell = [], None, None
        self.in_body = False
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables += 1
        if self.tables != 1:
            return
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if self.tables != 1:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        elif tag == "tbody":
            self.in_body = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response) -> list[list[str]]:
    parser = _Rows()
    parser.feed(response.content.decode())
    return parser.rows


def first_column(response) -> list[str]:
    return [row[0] for row in table_rows(response)]


def read_export(response) -> list[list]:
    """The rows of a CSV or XLSX export, header first (CSV: checks the BOM and the ``;``)."""
    assert response.status_code == 200, response.status_code
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    if disposition.endswith('.csv"'):
        raw = response.content
        assert raw.startswith(b"\xef\xbb\xbf"), "CSV sans BOM UTF-8"
        return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert disposition.endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def last_export() -> AccessEvent | None:
    return AccessEvent.objects.filter(action="export").order_by("-pk").first()


def check_sorts(client, url, keys, add_rows=None):
    """Every key sorts both ways with a 200, and ascending differs from descending."""
    for key in keys:
        up = client.get(url, {"tri": key})
        down = client.get(url, {"tri": f"-{key}"})
        assert up.status_code == down.status_code == 200, key
        assert 'aria-sort="ascending"' in up.content.decode(), key
        assert 'aria-sort="descending"' in down.content.decode(), key


__all__ = [
    "assert_constant_queries",
    "check_sorts",
    "first_column",
    "last_export",
    "read_export",
    "table_rows",
]


def collation_key(value):
    """Python's idea of the order a reader expects (accents and case ignored)."""
    import unicodedata

    if not isinstance(value, str):
        return value
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def french_date(text):
    import datetime

    return datetime.datetime.strptime(text.strip()[:10], "%d/%m/%Y").date()


def assert_sorts_by_column(client, url, key, column, parse=None, params=None):
    """``?tri=key`` orders the shown column ascending, ``?tri=-key`` descending, with at least
    two distinct values (so that the check cannot pass on an unsorted list)."""
    parse = parse or collation_key
    for sign, reverse in (("", False), ("-", True)):
        response = client.get(url, {**(params or {}), "tri": sign + key})
        assert response.status_code == 200
        values = [parse(row[column]) for row in table_rows(response)]
        assert len(set(values)) >= 2, (key, values)
        assert values == sorted(values, reverse=reverse), (sign + key, values)
