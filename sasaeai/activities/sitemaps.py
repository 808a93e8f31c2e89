"""Sitemaps of the public directory (the lead wires them into sitemap.xml)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from sasaeai.regions.models import Center, Municipality

from .models import Activity


class DirectorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["activities:directory", "activities:open-data"]

    def location(self, item):
        return reverse(item)


class ActivitySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Activity.objects.public().order_by("pk").only("pk", "updated_at")

    def location(self, item):
        return reverse("activities:detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class MunicipalitySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        prefectures = Center.objects.active().values("prefecture_id")
        return (
            Municipality.objects.filter(prefecture_id__in=prefectures)
            .without_wards()
            .active()
            .order_by("code")
        )

    def location(self, item):
        return reverse("activities:municipality", args=[item.code])


SITEMAPS = {
    "activities": DirectorySitemap,
    "activity-pages": ActivitySitemap,
    "activity-municipalities": MunicipalitySitemap,
}
