"""A page's form as the corpus needs it: what a browser would send, and what kind each control is.

The kind decides which bad inputs a control gets (an id box gets "abc" and 2**63, a number box NaN);
it is read from the rendered HTML, so a field added to any form is covered without touching the corpus.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIPPED = {"csrfmiddlewaretoken"}
ID_CLASSES = {"vForeignKeyRawIdAdminField", "vManyToManyRawIdAdminField", "admin-autocomplete"}


@dataclass
class Control:
    name: str
    kind: str  # text, textarea, number, date, time, id, choice, count, hidden
    required: bool
    values: list = field(default_factory=list)  # what the browser sends (checked boxes only)


class _Reader(HTMLParser):
    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.done = action, False, False
        self.controls, self.select, self.textarea, self.button = {}, None, None, None

    def control(self, name, kind, required):
        return self.controls.setdefault(name, Control(name, kind, required))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done:
            self.inside = (
                attrs.get("method", "get").lower() == "post" and attrs.get("action", "") in self.action
            )
        if not self.inside or "disabled" in attrs:
            return
        if tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if value and not value.isdigit():
                self.select[0].kind = "choice"  # ids only if every option is one (not 1st–4th, last = -1)
            elif value and self.select[0].kind == "unknown":
                self.select[0].kind = "id"
            if self.select[2] is None:
                self.select[2] = value
            if "selected" in attrs:
                self.select[1] = value
                if self.select[3]:
                    self.select[0].values.append(value)
            return
        name, classes = attrs.get("name"), set((attrs.get("class") or "").split())
        required = "required" in attrs
        if not name or name in SKIPPED:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("submit", "button", "image"):
                if self.button is None:
                    self.button = (name, value)
                return
            if kind in ("file", "reset"):
                return
            if name.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS")):
                kind = "count"  # the admin's inline management form (its MIN and MAX are never read)
            elif classes & ID_CLASSES or (kind == "hidden" and name.endswith("-id")):
                kind = "id"
            elif kind == "hidden":
                kind = "hidden"  # the page's own state (a next= address): sent as it is
            elif kind in ("checkbox", "radio"):
                kind = "id" if value.isdigit() else "choice"
                if "checked" not in attrs:
                    self.control(name, kind, required)
                    return
            elif "vDateField" in classes:
                kind = "date"
            elif "vTimeField" in classes:
                kind = "time"
            elif kind not in ("number", "date", "time"):
                kind = "text"
            self.control(name, kind, required).values.append(value)
        elif tag == "select":
            kind = "id" if classes & ID_CLASSES else "unknown"  # until its options show
            self.select = [self.control(name, kind, required), None, None, "multiple" in attrs]
        elif tag == "textarea":
            self.textarea = [self.control(name, "textarea", required), ""]
        elif tag == "button" and attrs.get("type", "submit") == "submit" and self.button is None:
            self.button = (name, attrs.get("value", ""))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select" and self.select is not None:
            control, selected, first, multiple = self.select
            control.kind = "choice" if control.kind == "unknown" else control.kind
            if not multiple and (selected if selected is not None else first) is not None:
                control.values.append(selected if selected is not None else first)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea[0].values.append(self.textarea[1].removeprefix("\n"))
            self.textarea = None


def read_form(html, action, page=None):
    """The controls of the first POST form whose action is `action`, or "" or `page` itself for a form
    posting to its own page; and the first named submit button's (name, value), which a click sends."""
    reader = _Reader({"", page} if action == "" else {action})
    reader.feed(html)
    if not reader.done:
        raise AssertionError(f"no POST form to {action!r} in the page")
    return reader.controls, reader.button
