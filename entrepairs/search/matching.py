"""Accent- and case-insensitive "contains every word" matching, on SQLite and PostgreSQL.

The words typed are folded in Python with the project's helper (``normalize_for_search``:
lower case, no accents, only letters and digits). The columns are folded in SQL by ``Folded``:
on PostgreSQL ``LOWER(TRANSLATE(...))`` (built in, no ``unaccent`` extension, and capitals
with accents are translated too, so a database in the "C" collation folds them); on SQLite a
function ``entrepairs_fold`` that ``SearchConfig.ready`` registers on each connection and that
is ``normalize_for_search`` itself. No stored copy of each column is needed.
"""

from functools import reduce

from django.db.models import CharField, F, Func, Q, Value
from django.db.models.functions import Concat

from entrepairs.territory.models import normalize_for_search

ACCENTED = {
    "a": "àâäáãåÀÂÄÁÃÅ",
    "c": "çÇ",
    "e": "éèêëÉÈÊË",
    "i": "îïíìÎÏÍÌ",
    "n": "ñÑ",
    "o": "ôöóòõÔÖÓÒÕ",
    "u": "ûüúùÛÜÚÙ",
    "y": "ÿýŸÝ",
}
FROM_CHARS = "".join(ACCENTED.values())
TO_CHARS = "".join(base * len(chars) for base, chars in ACCENTED.items())
MAX_WORDS = 5
SQLITE_FUNCTION = "entrepairs_fold"


class Folded(Func):
    """An expression without accents, in lower case (see the module docstring)."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        sql = f"LOWER(REPLACE(REPLACE(TRANSLATE({sql}, %s, %s), 'œ', 'oe'), 'æ', 'ae'))"
        return sql, [*params, FROM_CHARS, TO_CHARS]

    def as_sql(self, compiler, connection, function=None, **extra):
        if function is None:  # other databases: case only
            function = "LOWER"
        return super().as_sql(compiler, connection, function=function, **extra)


def fold_for_sqlite(text):
    return None if text is None else normalize_for_search(text)


def register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION, 1, fold_for_sqlite, deterministic=True
        )


def folded(*fields):
    """An expression: ``fields`` joined by spaces, folded."""
    parts = []
    for name in fields:
        if parts:
            parts.append(Value(" "))
        parts.append(F(name))
    expression = parts[0] if len(parts) == 1 else Concat(*parts, output_field=CharField())
    return Folded(expression)


def query_words(query: str) -> list[str]:
    """The words to look for, folded like the columns (at most ``MAX_WORDS``)."""
    return normalize_for_search(query).split()[:MAX_WORDS]


def matching(queryset, fields, words, alias="search_text"):
    """``queryset`` narrowed to rows whose ``fields`` contain every one of ``words``."""
    queryset = queryset.alias(**{alias: folded(*fields)})
    condition = reduce(lambda q, word: q & Q(**{f"{alias}__contains": word}), words, Q())
    return queryset.filter(condition)
