"""QR codes as SVG (vector: sharp on paper at any size), built by the ``qrcode`` library."""

import qrcode
import qrcode.image.svg
from django.utils.html import escape


def qr_svg(data: str, label: str, size_mm: int = 40) -> str:
    """An inline SVG QR code for ``data`` with an accessible name."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(label)}" class="qr-code" ',
        1,
    )
    # A fixed physical size prints well; the viewBox keeps it sharp.
    return svg.replace('width="', f'data-w="{size_mm}" width="', 1)
