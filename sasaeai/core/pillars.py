"""The six pillars of the five-year plan (中期事業計画の柱), the spine of the navigation."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Pillar:
    slug: str
    numeral: str
    function: Promise  # the center's function, the short name used in navigation
    title: Promise  # the pillar's name in the plan
    summary: Promise
    url_name: str = ""  # where its work lives once built; empty while not yet built
    more: tuple[tuple[Promise, str], ...] = ()  # other pages of its work: (label, url name)
    public: tuple[tuple[Promise, str], ...] = ()  # its pages for residents, shown to anyone


PILLARS: tuple[Pillar, ...] = (
    Pillar(
        "momentum",
        "I",
        _("Building momentum"),
        _("A prefecture-wide network"),
        _(
            "Every social welfare corporation, facility and council of the prefecture in one "
            "registry, members or not; joining and leaving with their history; the membership "
            "rate at any date."
        ),
        url_name="members:home",
    ),
    Pillar(
        "networks",
        "III",
        _("Municipal networks"),
        _("Networks of social welfare corporations in each municipality"),
        _(
            "Each municipality's way from nothing yet to an established, active network: "
            "dated status, outreach visits, briefings, formation grants and the map."
        ),
        url_name="networks:overview",
        more=((_("Formation grants"), "grants:home"),),
    ),
    Pillar(
        "models",
        "II",
        _("Model projects"),
        _("Models for needs between welfare systems"),
        _(
            "Themes, model projects and their sites, leading projects such as the food and "
            "daily-goods stockyard, committees, handbooks and grants."
        ),
        url_name="projects:home",
        more=((_("Grants"), "grants:home"),),
    ),
    Pillar(
        "people",
        "IV",
        _("Training people"),
        _("Training and understanding"),
        _(
            "Trainings, six-session courses, briefings and forums: registration with capacity "
            "and waitlist, attendance, certificates and evaluations."
        ),
        url_name="events:event-list",
    ),
    Pillar(
        "visibility",
        "V",
        _("Making it visible"),
        _("Information and awareness"),
        _(
            "Activities near residents on a public directory and map, the casebook, news, "
            "newsletters, surveys and open data."
        ),
        url_name="activities:manage",
        more=(
            (_("Casebook"), "casebook:manage-list"),
            (_("News and newsletters"), "publishing:manage"),
            (_("Surveys"), "surveys:survey-list"),
        ),
        public=(
            (_("Find activities"), "activities:directory"),
            (_("Casebook"), "casebook:case-list"),
            (_("News"), "publishing:news-list"),
            (_("Open data"), "publishing:open-data"),
        ),
    ),
    Pillar(
        "social-action",
        "VI",
        _("Social action"),
        _("Policy proposals"),
        _("Policy proposals and the evidence behind them."),
        url_name="proposals:list",
    ),
)

PILLARS_BY_SLUG = {pillar.slug: pillar for pillar in PILLARS}
