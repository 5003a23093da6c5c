"""Read a rendered form the way a browser submits it, so the benchmark posts
exactly what the page would (hidden version, management forms, every row)."""

from html.parser import HTMLParser


class _Reader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.template = 0
        self.pairs = []
        self.select = None  # [name, first value, chosen value]
        self.textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
            return
        if not self.inside:
            return
        if tag == "template":
            self.template += 1
        if self.template:
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if not name or "disabled" in attrs or kind in ("submit", "button", "file", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.pairs.append((name, attrs.get("value", "on")))
            else:
                self.pairs.append((name, attrs.get("value", "")))
        elif tag == "select":
            self.select = None if "disabled" in attrs or not name else [name, None, None]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select[1] is None:
                self.select[1] = value
            if "selected" in attrs:
                self.select[2] = value
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "template":
            self.template -= 1
        elif self.template:
            return
        elif tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, first, chosen = self.select
            self.pairs.append((name, chosen if chosen is not None else (first or "")))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # A browser drops the newline right after <textarea>.
            self.pairs.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None


def form_data(html: str, form_id: str) -> dict:
    """The form's fields: a value per name, a list for repeated names."""
    reader = _Reader(form_id)
    reader.feed(html)
    data = {}
    for name, value in reader.pairs:
        if name in data:
            old = data[name]
            data[name] = [*old, value] if isinstance(old, list) else [old, value]
        else:
            data[name] = value
    return data
