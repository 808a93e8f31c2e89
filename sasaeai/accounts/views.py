from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sasaeai.core.access import authenticated

from . import actions
from .forms import PreferencesForm


@authenticated
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        actions.set_date_style(user=request.user, date_style=form.cleaned_data["date_style"])
        messages.success(request, _("Your preferences have been saved."))
        return redirect("accounts:preferences")
    roles = request.user.roles.select_related("center", "municipality__parent", "corporation")
    return render(request, "accounts/preferences.html", {"form": form, "roles": roles})
