"""Sitemaps of the public pages: publishing's own pages, news, newsletters, and the events'
public pages. ``SITEMAPS`` is the publishing part of the one dict in ``sasaeai/urls.py``,
beside the sitemaps of the other apps (activities, casebook)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Newsletter, NewsPost

PAGES = [
    "publishing:home",
    "publishing:about",
    "publishing:news-list",
    "publishing:newsletter-list",
    "publishing:subscribe",
    "publishing:contact",
    "publishing:privacy",
    "publishing:open-data",
    "proposals:list",
]


class PageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return PAGES

    def location(self, item: str) -> str:
        return reverse(item)


class NewsSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return NewsPost.objects.published().order_by("-published_at", "-pk")

    def lastmod(self, item: NewsPost):
        return item.updated_at

    def location(self, item: NewsPost) -> str:
        return reverse("publishing:news-detail", args=[item.pk])


class NewsletterSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Newsletter.objects.published().order_by("-published_on", "-pk")

    def lastmod(self, item: Newsletter):
        return item.updated_at

    def location(self, item: Newsletter) -> str:
        return reverse("publishing:newsletter-detail", args=[item.pk])


class EventSitemap(Sitemap):
    """The events' public pages (the events app has no sitemap of its own)."""

    changefreq = "weekly"

    def items(self):
        from sasaeai.events.models import Audience, Event, EventStatus

        return Event.objects.filter(
            audience=Audience.PUBLIC, status=EventStatus.PUBLISHED
        ).order_by("-pk")

    def location(self, item) -> str:
        return reverse("events:event-detail", args=[item.pk])


SITEMAPS = {
    "pages": PageSitemap,
    "news": NewsSitemap,
    "newsletters": NewsletterSitemap,
    "events": EventSitemap,
}
