from django.urls import path

from . import pages, views

app_name = "publishing"
urlpatterns = [
    path("", pages.home, name="home"),
    path("about/", pages.about, name="about"),
    path("contact/", pages.contact, name="contact"),
    path("privacy/", pages.privacy, name="privacy"),
    path("open-data/", pages.open_data, name="open-data"),
    path("open-data/events.csv", pages.open_data_events, name="opendata-events"),
    path("news/", views.news_list, name="news-list"),
    path("news/feed.atom", views.news_feed, name="news-feed"),
    path("news/<int:pk>/", views.news_detail, name="news-detail"),
    path("news/<int:pk>/attachment.pdf", views.news_attachment, name="news-attachment"),
    path("newsletters/", views.newsletter_list, name="newsletter-list"),
    path("newsletters/<int:pk>/", views.newsletter_detail, name="newsletter-detail"),
    path("newsletters/<int:pk>/issue.pdf", views.newsletter_pdf, name="newsletter-pdf"),
    path("newsletters/subscribe/", views.subscribe, name="subscribe"),
    path("newsletters/subscribe/sent/", views.subscribe_sent, name="subscribe-sent"),
    path(
        "newsletters/confirm/<str:token>/",
        views.subscription_confirm,
        name="subscription-confirm",
    ),
    path("newsletters/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("publishing/", views.manage, name="manage"),
    path("publishing/news/new/", views.news_create, name="news-create"),
    path("publishing/news/<int:pk>/edit/", views.news_edit, name="news-edit"),
    path("publishing/news/<int:pk>/publish/", views.news_publish, name="news-publish"),
    path("publishing/news/<int:pk>/unpublish/", views.news_unpublish, name="news-unpublish"),
    path("publishing/newsletters/new/", views.newsletter_create, name="newsletter-create"),
    path("publishing/newsletters/<int:pk>/edit/", views.newsletter_edit, name="newsletter-edit"),
    path("publishing/newsletters/<int:pk>/send/", views.newsletter_send, name="newsletter-send"),
]
