from django.core.paginator import Paginator
from django.shortcuts import render

from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import authenticated
from sasaeai.core.audit import history_of

from .queries import get_corporation_for_user_or_404, visible_corporations


@authenticated
def corporation_list(request):
    query = request.GET.get("q", "")
    corporations = visible_corporations(request.user).search(query)
    page = Paginator(corporations, 50).get_page(request.GET.get("page"))
    return render(request, "members/corporation_list.html", {"page": page, "query": query})


@authenticated
def corporation_detail(request, pk: int):
    corporation = get_corporation_for_user_or_404(request.user, pk)
    history = history_of(corporation)[:50] if scope_of(request.user).is_center_staff else None
    return render(
        request,
        "members/corporation_detail.html",
        {"corporation": corporation, "history": history},
    )
