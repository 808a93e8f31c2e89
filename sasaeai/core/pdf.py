"""PDF from the same HTML templates as the pages (WeasyPrint, IPAex fonts from Debian).

No network: WeasyPrint is given a URL fetcher that refuses everything except ``data:`` URLs,
so a template cannot make a PDF depend on an external request; images and maps are inlined.
"""

from __future__ import annotations

from django.template.loader import render_to_string


def no_network_fetcher():
    """WeasyPrint's own fetcher, allowed ``data:`` URLs only (any other URL is refused and
    left out of the PDF, which WeasyPrint logs)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render ``template_name`` to HTML with ``context`` and return the PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, url_fetcher=no_network_fetcher(), base_url=".").write_pdf()
