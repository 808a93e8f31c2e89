"""The news as an Atom feed (``/news/feed.atom``)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from sasaeai.regions.models import Center

from .models import NewsPost

ITEMS = 20


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        from .queries import shown_prefecture

        return Center.objects.filter(prefecture_id=shown_prefecture(request.user)).first()

    def title(self, center) -> str:
        return f"{center.short_name} お知らせ" if center else "Sasae-ai お知らせ"

    def subtitle(self, center) -> str:
        return center.name if center else ""

    def link(self, center) -> str:
        return reverse("publishing:news-list")

    def items(self, center):
        if center is None:
            return NewsPost.objects.none()
        return NewsPost.objects.in_prefecture(center.prefecture_id).published()[:ITEMS]

    def item_title(self, item: NewsPost) -> str:
        return item.title

    def item_description(self, item: NewsPost) -> str:
        return item.body

    def item_link(self, item: NewsPost) -> str:
        return reverse("publishing:news-detail", args=[item.pk])

    def item_pubdate(self, item: NewsPost):
        return item.published_at

    def item_updateddate(self, item: NewsPost):
        return item.updated_at

    def item_categories(self, item: NewsPost):
        return [item.get_category_display()]
