"""The power flowchart (权力运行流程图) drawn as SVG on the server.

A vertical flow: a start terminal, one rounded box per step joined by
arrows, an end terminal, then the facts a printed flowchart carries (time
limit, supervision channel, legal basis) and a legend. Each box shows the
step number, its name, the responsible post and the time limit; risk steps
are red with a "风险点" tag. CJK text is wrapped by its drawn width, and every
piece of text is XML-escaped, so the same string is inlined in the power's
page and sent as a ``.svg`` download.

No browser script, no external font or image: the file opens anywhere and
prints on A4 (the page's print stylesheet scales it to the page width).
"""

import re
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH = 760
BOX_WIDTH = 580
BOX_X = (WIDTH - BOX_WIDTH) // 2
PAD = 14
NUMBER_R = 15
TEXT_X = BOX_X + 2 * NUMBER_R + 26
TEXT_WIDTH = BOX_X + BOX_WIDTH - PAD - TEXT_X
ARROW = 34
TERMINAL_W, TERMINAL_H = 200, 40
NAME_SIZE, NAME_LINE = 16, 22
META_SIZE, META_LINE = 13, 19
TITLE_SIZE, TITLE_LINE = 20, 28
NOTE_SIZE, NOTE_LINE = 12.5, 19

FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
INK, MUTED = "#1f2937", "#4b5563"
BLUE, BLUE_FILL = "#2b5797", "#eef3fb"
RED, RED_FILL = "#c62828", "#fdecea"

# Characters XML 1.0 forbids even when escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Punctuation that must not begin a line (避头): kept on the line before.
_NO_LINE_START = set("，。、；：！？）》」』】〕…—,.;:!?)]}%")


def clean(text) -> str:
    return _INVALID_XML.sub("", str(text or ""))


def esc(text) -> str:
    """Text fit for an SVG element or a double-quoted attribute."""
    return escape(clean(text), {'"': "&quot;"})


def char_width(char: str, size: float) -> float:
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return size
    if char == " ":
        return size * 0.32
    if char.isupper() or char.isdigit():
        return size * 0.64
    return size * 0.56


def text_width(text: str, size: float) -> float:
    return sum(char_width(c, size) for c in text)


def _tokens(paragraph: str):
    """Wide characters one by one; runs of narrow ones (words, numbers) whole."""
    run = ""
    for char in paragraph:
        wide = unicodedata.east_asian_width(char) in ("W", "F")
        if wide or char == " ":
            if run:
                yield run
                run = ""
            yield char
        else:
            run += char
    if run:
        yield run


def wrap(text, width: float, size: float, max_lines: int | None = None) -> list[str]:
    """Lines of ``text`` no wider than ``width`` when drawn at ``size``."""
    lines: list[str] = []
    for paragraph in clean(text).replace("\r", "").split("\n"):
        line, used = "", 0.0
        for token in _tokens(paragraph.strip()):
            w = text_width(token, size)
            if used + w <= width or not line or token in _NO_LINE_START:
                if not line and token == " ":
                    continue
                line, used = line + token, used + w
                continue
            if w > width:  # a narrow run longer than the line: cut it
                for char in token:
                    cw = char_width(char, size)
                    if used + cw > width and line:
                        lines.append(line.rstrip())
                        line, used = "", 0.0
                    line, used = line + char, used + cw
                continue
            lines.append(line.rstrip())
            line, used = ("", 0.0) if token == " " else (token, w)
        if line.strip() or not lines:
            lines.append(line.rstrip())
    lines = [line for line in lines if line] or [""]
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


@dataclass
class _Canvas:
    parts: list

    def add(self, svg: str):
        self.parts.append(svg)

    def text(
        self, x, y, lines, size, line_height, *, fill=INK, weight="normal", anchor="start", cls=""
    ):
        """Lines of text; ``y`` is the top of the first line."""
        attrs = f'font-size="{size}" fill="{fill}"'
        if weight != "normal":
            attrs += f' font-weight="{weight}"'
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        if cls:
            attrs += f' class="{cls}"'
        baseline = y + size * 0.92 + (line_height - size * 1.2) / 2
        spans = "".join(
            f'<tspan x="{x:g}" y="{baseline + i * line_height:.1f}">{esc(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self.add(f"<text {attrs}>{spans}</text>")


def _arrow(canvas, y_from, y_to, marker):
    x = WIDTH / 2
    canvas.add(
        f'<line class="arrow" x1="{x:g}" y1="{y_from:.1f}" x2="{x:g}" y2="{y_to - 2:.1f}" '
        f'stroke="{MUTED}" stroke-width="1.6" marker-end="url(#{marker})"/>'
    )


def _terminal(canvas, y, label, cls):
    x = (WIDTH - TERMINAL_W) / 2
    canvas.add(
        f'<g class="terminal {cls}"><rect x="{x:g}" y="{y:.1f}" width="{TERMINAL_W}" '
        f'height="{TERMINAL_H}" rx="{TERMINAL_H / 2:g}" fill="#fff" stroke="{INK}" stroke-width="1.6"/>'
    )
    canvas.text(
        WIDTH / 2, y + (TERMINAL_H - 22) / 2, [label], 15, 22, weight="600", anchor="middle"
    )
    canvas.add("</g>")
    return y + TERMINAL_H


def _step_box(canvas, y, number, step, actor):
    risk = bool(step.is_risk)
    name_lines = wrap(step.name, TEXT_WIDTH, NAME_SIZE)
    meta = []
    if actor:
        label = _("责任岗位：%(actor)s") if step.post_id else _("责任主体：%(actor)s")
        meta.append(label % {"actor": actor})
    if step.time_limit:
        meta.append(_("时限：%(limit)s") % {"limit": step.time_limit})
    meta_lines = wrap("　".join(meta), TEXT_WIDTH, META_SIZE) if meta else []
    height = max(
        2 * PAD
        + len(name_lines) * NAME_LINE
        + len(meta_lines) * META_LINE
        + (4 if meta_lines else 0),
        2 * NUMBER_R + 2 * PAD,
    )
    stroke, fill = (RED, RED_FILL) if risk else (BLUE, BLUE_FILL)
    cls = "step risk" if risk else "step"
    canvas.add(f'<g class="{cls}" data-position="{number}">')
    tip = [step.name, *meta]
    if step.checks:
        tip.append(_("审查要点：%(checks)s") % {"checks": step.checks})
    canvas.add(f"<title>{esc(chr(10).join(tip))}</title>")
    canvas.add(
        f'<rect class="step-box" x="{BOX_X}" y="{y:.1f}" width="{BOX_WIDTH}" height="{height:.1f}" '
        f'rx="10" fill="{fill}" stroke="{stroke}" stroke-width="{2.2 if risk else 1.6}"/>'
    )
    cx, cy = BOX_X + PAD + NUMBER_R, y + height / 2
    canvas.add(f'<circle cx="{cx:g}" cy="{cy:.1f}" r="{NUMBER_R}" fill="{stroke}"/>')
    canvas.text(cx, cy - 11, [str(number)], 14, 22, fill="#fff", weight="700", anchor="middle")
    top = y + PAD
    canvas.text(TEXT_X, top, name_lines, NAME_SIZE, NAME_LINE, weight="600", cls="step-name")
    if meta_lines:
        canvas.text(
            TEXT_X,
            top + len(name_lines) * NAME_LINE + 4,
            meta_lines,
            META_SIZE,
            META_LINE,
            fill=MUTED,
        )
    if risk:
        tag_w, tag_h = 64, 22
        tx, ty = BOX_X + BOX_WIDTH - tag_w - 10, y - tag_h / 2
        canvas.add(
            f'<g class="risk-tag"><rect x="{tx:g}" y="{ty:.1f}" width="{tag_w}" height="{tag_h}" '
            f'rx="11" fill="{RED}"/>'
        )
        canvas.text(
            tx + tag_w / 2,
            ty,
            [_("风险点")],
            12.5,
            tag_h,
            fill="#fff",
            weight="700",
            anchor="middle",
        )
        canvas.add("</g>")
    canvas.add("</g>")
    return y + height


def title_of(power) -> str:
    from .models import Power

    if power.direction == Power.Direction.EXTERNAL:
        return _("权力运行外部流程图")
    return _("权力运行内部流程图")


def file_name(power) -> str:
    return f"{clean(power.code)} {clean(power.name)} {title_of(power)}.svg".replace("/", "／")


def render(power, steps=None) -> str:
    """The flowchart of ``power`` as an SVG document (a safe string).

    ``steps`` defaults to the power's steps in order, with their posts.
    """
    if steps is None:
        steps = list(power.steps.select_related("post__section").order_by("position", "id"))
    uid = f"fc{power.pk or 0}"
    marker = f"{uid}-arrow"
    canvas = _Canvas([])

    y = 24.0
    title_lines = wrap(f"{power.code}　{power.name}", WIDTH - 60, TITLE_SIZE)
    canvas.text(
        WIDTH / 2,
        y,
        title_lines,
        TITLE_SIZE,
        TITLE_LINE,
        weight="700",
        anchor="middle",
        cls="title",
    )
    y += len(title_lines) * TITLE_LINE + 2
    subtitle = f"{title_of(power)} · " + _("承办科室：%(section)s") % {
        "section": power.section.name
    }
    canvas.text(WIDTH / 2, y, wrap(subtitle, WIDTH - 60, 13), 13, 20, fill=MUTED, anchor="middle")
    y += 20 + 18

    y = _terminal(canvas, y, _("开始"), "start")
    for number, step in enumerate(steps, start=1):
        _arrow(canvas, y, y + ARROW, marker)
        y += ARROW
        y = _step_box(canvas, y, number, step, step.actor_label(power.section_id))
    _arrow(canvas, y, y + ARROW, marker)
    y += ARROW
    y = _terminal(canvas, y, _("办结"), "end")

    y += 22
    notes = []
    if power.time_limit:
        notes.append((_("办理时限"), power.time_limit, 2))
    if power.supervision_channel:
        notes.append((_("监督渠道"), power.supervision_channel, 2))
    if power.legal_basis:
        notes.append((_("行使依据"), power.legal_basis, 3))
    if notes:
        canvas.add(
            f'<line x1="{BOX_X}" y1="{y:.1f}" x2="{BOX_X + BOX_WIDTH}" y2="{y:.1f}" stroke="#d1d5db"/>'
        )
        y += 10
        for label, value, max_lines in notes:
            lines = wrap(f"{label}：{value}", BOX_WIDTH, NOTE_SIZE, max_lines=max_lines)
            canvas.text(BOX_X, y, lines, NOTE_SIZE, NOTE_LINE, fill=MUTED, cls="note")
            y += len(lines) * NOTE_LINE
        y += 6
    # Legend.
    y += 6
    canvas.add(
        f'<g class="legend"><rect x="{BOX_X}" y="{y + 3:.1f}" width="22" height="14" rx="3" '
        f'fill="{RED_FILL}" stroke="{RED}" stroke-width="1.6"/>'
    )
    canvas.text(BOX_X + 30, y, [_("风险点（廉政风险环节）")], NOTE_SIZE, 20, fill=MUTED)
    canvas.add(
        f'<rect x="{BOX_X + 210}" y="{y + 3:.1f}" width="22" height="14" rx="3" '
        f'fill="{BLUE_FILL}" stroke="{BLUE}" stroke-width="1.6"/>'
    )
    canvas.text(BOX_X + 240, y, [_("一般环节")], NOTE_SIZE, 20, fill=MUTED)
    canvas.add("</g>")
    y += 20 + 20

    height = int(y + 0.5)
    title = f"{power.code} {power.name} {title_of(power)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="flowchart-svg" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{uid}-title" font-family="{FONT}">'
        f'<title id="{uid}-title">{esc(title)}</title>'
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{MUTED}"/>'
        f"</marker></defs>"
        f'<rect width="100%" height="100%" fill="#fff"/>'
    )
    return mark_safe(head + "".join(canvas.parts) + "</svg>")  # every text is escaped above


def document(power, steps=None) -> str:
    """A standalone ``.svg`` file: the drawing with an XML declaration."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + render(power, steps)
