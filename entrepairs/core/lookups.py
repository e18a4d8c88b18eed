"""``pk__in`` with an id no integer column can hold matches nothing, instead of crashing.

Django already treats an out-of-range value of ``exact``, ``gt``, ``lt``… on an integer field
as "matches nothing"; ``in`` it sends as is, and SQLite raises OverflowError on a 30-digit id
typed into a multiple choice (``ModelMultipleChoiceField`` filters ``pk__in``). Registered on
every integer field (ids included) by ``CoreConfig.ready``.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [value for value in self.rhs if fits(value, low, high)]
        return super().process_rhs(compiler, connection)


def fits(value, low, high) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return True  # expressions, None: Django's business
    return (low is None or value >= low) and (high is None or value <= high)


def register():
    IntegerField.register_lookup(IntegerFieldIn)
