"""Helpers for the filing-page tests: read a rendered form the way a browser
would submit it, add rows the way the page's script does, and make filings
with points and measures."""

from html.parser import HTMLParser

from django.urls import reverse

from risks.models import Measure, RiskPoint


class _FormReader(HTMLParser):
    """The values a browser would send for one <form> (no <template>s)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.depth = 0
        self.in_template = 0
        self.data = []
        self._select = None
        self._select_first = None
        self._select_chosen = None
        self._option_value = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
            return
        if not self.in_form:
            return
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if tag == "input":
            name, kind = attrs.get("name"), attrs.get("type", "text")
            if not name or "disabled" in attrs or kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            else:
                self.data.append((name, attrs.get("value", "")))
        elif tag == "select":
            self._select = None if "disabled" in attrs else attrs.get("name")
            self._select_first = self._select_chosen = None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._select_chosen = value
        elif tag == "textarea":
            self._textarea = [attrs.get("name"), ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "template":
            self.in_template -= 1
        elif tag == "form" and not self.in_template:
            self.in_form = False
        elif self.in_template:
            return
        elif tag == "select" and self._select:
            value = self._select_chosen if self._select_chosen is not None else self._select_first
            self.data.append((self._select, value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            if name:
                # A browser drops the newline that directly follows <textarea>.
                self.data.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_values(response, form_id="filing-form") -> dict:
    """The form's fields as a dict (lists for repeated names)."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    values = {}
    for name, value in reader.data:
        if name in values:
            existing = values[name]
            values[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            values[name] = value
    return values


def add_point(data, *, category, title="", content="", self_grade=None, measures=(), **fields):
    """Add a new risk point row as the page's script does; returns its prefix."""
    index = int(data["points-TOTAL_FORMS"])
    prefix = f"points-{index}"
    data["points-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"{prefix}-id": "",
            f"{prefix}-position": str(index + 1),
            f"{prefix}-category": str(category.pk) if category else "",
            f"{prefix}-title": title,
            f"{prefix}-content": content,
            f"{prefix}-power": "",
            f"{prefix}-power_step": "",
            f"{prefix}-library_entry": "",
            f"{prefix}-measures-TOTAL_FORMS": "0",
            f"{prefix}-measures-INITIAL_FORMS": "0",
            f"{prefix}-measures-MIN_NUM_FORMS": "0",
            f"{prefix}-measures-MAX_NUM_FORMS": "1000",
        }
    )
    if self_grade is not None:
        data[f"{prefix}-self_grade"] = str(self_grade.pk)
    for key, value in fields.items():
        data[f"{prefix}-{key}"] = value
    for measure in measures:
        add_measure(data, prefix, **measure)
    return prefix


def add_measure(data, point_prefix, *, line="prevention", text="", owner=None, **fields):
    prefix = f"{point_prefix}-measures"
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    row = f"{prefix}-{index}"
    data.update(
        {
            f"{row}-id": "",
            f"{row}-line": line,
            f"{row}-position": str(index + 1),
            f"{row}-text": text,
            f"{row}-owner": str(owner.pk) if owner else "",
            f"{row}-due_on": "",
            f"{row}-status": Measure.Status.PLANNED,
            f"{row}-indicator": "",
        }
    )
    data.update({f"{row}-{key}": value for key, value in fields.items()})
    return row


def prefix_of(data, point):
    """The form prefix of an existing risk point in parsed form data."""
    for key, value in data.items():
        if key.endswith("-id") and key.count("-") == 2 and value == str(point.pk):
            return key[: -len("-id")]
    raise KeyError(point)


def edit_url(filing):
    return reverse("risks:filing_edit", args=[filing.pk])


def make_point(filing, category, level, *, title="审批时收受好处", measures=1, **fields):
    point = RiskPoint.objects.create(
        filing=filing,
        category=category,
        title=title,
        content="在项目准入审核中可能接受申请人宴请、礼金。",
        self_grade=level,
        **fields,
    )
    lines = list(Measure.Line.values)
    for number in range(measures):
        Measure.objects.create(
            risk_point=point,
            line=lines[number % 3],
            position=number // 3 + 1,
            text=f"集体研究，签字留痕{number + 1}",
            owner=filing.owner,
        )
    return point
