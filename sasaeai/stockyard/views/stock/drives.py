"""Food drives: the list, one drive's totals per item and drop-off point, a new drive."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, F, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sasaeai.accounts.scope import shown_prefecture
from sasaeai.core.access import authenticated

from ... import actions, queries
from ...forms import CampaignForm
from ...models import Lot
from .common import GET_POST, form_page, refused


@authenticated
def campaign_list(request):
    campaigns = queries.campaigns_for(request.user).annotate(
        points=Count("drop_offs", distinct=True), gifts=Count("donations", distinct=True)
    )
    return render(
        request,
        "stockyard/stock/campaigns.html",
        {"campaigns": campaigns, "may_start": actions.may_start_food_drive(request.user)},
    )


VALUE = Sum(F("quantity") * F("unit_value"), output_field=DecimalField())


@authenticated
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(queries.campaigns_for(request.user), pk=pk)
    lots = Lot.objects.filter(donation__campaign=campaign)
    by_item = (
        lots.values(name=F("item__name"), unit=F("item__unit"))
        .annotate(total=Sum("quantity"), value=VALUE)
        .order_by("name")
    )
    by_drop_off = (
        lots.values(point=F("donation__location__name"), name=F("item__name"), unit=F("item__unit"))
        .annotate(total=Sum("quantity"), value=VALUE)
        .order_by("point", "name")
    )
    return render(
        request,
        "stockyard/stock/campaign_detail.html",
        {
            "campaign": campaign,
            "drop_offs": campaign.drop_offs.select_related("municipality__parent"),
            "by_item": list(by_item),
            "by_drop_off": list(by_drop_off),
            "donations": campaign.donations.count(),
        },
    )


@authenticated
@GET_POST
def campaign_create(request):
    if not actions.may_start_food_drive(request.user):
        raise Http404
    drop_offs = (
        queries.managed_locations(request.user)
        .filter(active=True)
        .select_related("municipality__parent")
    )
    form = CampaignForm(request.POST or None, drop_offs=drop_offs)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.create_campaign(
                prefecture=shown_prefecture(request.user), by=request.user, **form.action_fields()
            )
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, _("The food drive was saved."))
            return redirect("stockyard:campaign", campaign.pk)
    return form_page(
        request, "form.html", form, title=_("New food drive"), back=reverse("stockyard:campaigns")
    )
