"""The stockyard's public page in sitemap.xml."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class DropOffSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["stockyard:drop-offs"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"stockyard": DropOffSitemap}
