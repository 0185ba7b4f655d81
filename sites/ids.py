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


class ModelIdChoiceField(forms.ModelChoiceField):
    """A choice of one row by its id, for models with integer ids (all of ours and Django's).

    Anything but an id is an "invalid choice" before a query is built, and is not handed back to the
    widget when the form is shown again: the admin's autocomplete box looks the chosen row up with
    `pk__in`, which raises on "abc" (ValueError) or 2**64 (OverflowError on SQLite).
    """

    def to_python(self, value):
        if _not_an_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return super().to_python(value)

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        return None if _not_an_id(data) else data


class ModelMultipleIdChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose bad or too-large ids are an "invalid choice", not a crash; like
    ModelIdChoiceField, the widget is shown only the ids among what was typed."""

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        return [pk for pk in data if not _not_an_id(pk)] if isinstance(data, list | tuple) else data

    def _check_values(self, value):
        for pk in value:
            if parse_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


def _not_an_id(value):
    """Typed text that is neither blank nor a row id (a model instance or an int passes)."""
    return isinstance(value, str) and value.strip() != "" and parse_id(value) is None
