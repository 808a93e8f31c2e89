"""PDF from the same HTML templates as the pages (WeasyPrint, IPAex fonts from Debian).

No network: WeasyPrint is given a URL fetcher that refuses everything except ``data:`` URLs,
so a template cannot make a PDF depend on an external request; images and maps are inlined.
"""

from __future__ import annotations

from django.template.loader import render_to_string


class ExternalResourceRefused(Exception):
    pass


def _no_network(url: str, *args, **kwargs):
    if url.startswith("data:"):
        from weasyprint import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    msg = f"A PDF may not load {url!r}: inline it."
    raise ExternalResourceRefused(msg)


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render ``template_name`` to HTML with ``context`` and return the PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, url_fetcher=_no_network, base_url=".").write_pdf()
