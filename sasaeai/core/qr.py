"""QR codes as inline SVG (segno): on pages and in PDFs, with no image file and no request."""

from __future__ import annotations

import segno


def qr_svg(data: str, *, scale: int = 4) -> str:
    """Inline SVG of a QR code (error level M), sized in px and scalable by CSS."""
    qr = segno.make(data, error="m")
    size = qr.symbol_size(scale=scale)[0]
    # segno writes either a size or a viewBox; both let CSS shrink it to the printed size.
    svg = qr.svg_inline(scale=scale, omitsize=True)
    return svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
