"""Sitemap entries of the casebook: the search page and every published case (the lead
wires them into sitemap.xml)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Case


class CaseListSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ["casebook:case-list"]

    def location(self, item):
        return reverse(item)


class CaseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Case.objects.published().order_by("pk").only("pk", "updated_at")

    def lastmod(self, case):
        return case.updated_at

    def location(self, case):
        return reverse("casebook:case-detail", args=[case.pk])


sitemaps = {"cases": CaseSitemap, "case-list": CaseListSitemap}
