"""Row ids typed by users: SQLite can't even compare an integer past 64 bits.

Django guards `pk=` lookups against such numbers, but not foreign-key or `__in` lookups, where SQLite
raises OverflowError (a 500) for "?district=99999999999999999999". Ids from user input pass here first.
Only ASCII digits make an id: "²".isdigit() is true, yet int("²") raises ValueError.
"""

from django import forms

MAX_ID = 2**63 - 1  # the largest id any of our databases stores


def parse_id(text):
    """`text` as a row id, or None when it isn't one."""
    text = str(text)
    return int(text) if text.isascii() and text.isdigit() and int(text) <= MAX_ID else None


class ModelMultipleIdChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose too-large ids are an "invalid choice", not a crash."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)
