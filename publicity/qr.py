"""QR codes drawn on the server as inline SVG (no image service, no CDN)."""

import re

import qrcode
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.svg import SvgPathFillImage

BORDER = 4  # modules of quiet zone, as the standard asks


def absolute(path: str) -> str:
    """The address printed on a notice: the site's public address + path."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of the code for ``text`` (with the quiet zone)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(text: str, label: str = "") -> str:
    """``text`` as a QR code: an ``<svg>`` element sized by CSS."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, border=BORDER, image_factory=SvgPathFillImage
    )
    code.add_data(text)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    # Drop the fixed millimetre size: the page decides how large it prints.
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg, count=1)
    attributes = f'class="qr-code" role="img" aria-label="{escape(label or text)}" data-qr-text="{escape(text)}"'
    return mark_safe(svg.replace("<svg", f"<svg {attributes}", 1))  # drawn from our own data
