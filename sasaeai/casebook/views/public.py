"""The casebook for residents: no login, cached per version of the published cases."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from sasaeai.core.access import public
from sasaeai.core.publiccache import cached_public_page
from sasaeai.regions.models import Center

from .. import documents, queries
from ..forms import SearchForm
from ..models import Case

PER_PAGE = 20
MAX_PAGE = 500
FILTERS = ("theme", "municipality", "year")


class ResultPage:
    """One page of results without counting them all: counting every match of a short term
    over 20,000 cases costs more than the page itself; one row more says if a next exists."""

    def __init__(self, results, number: str | None) -> None:
        try:
            self.number = max(1, min(int(number or 1), MAX_PAGE))
        except ValueError:
            self.number = 1
        start = (self.number - 1) * PER_PAGE
        rows = results.fetch(start, PER_PAGE + 1)
        self.object_list = rows[:PER_PAGE]
        self.has_next = len(rows) > PER_PAGE
        self.has_previous = self.number > 1

    def __iter__(self):
        return iter(self.object_list)

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _prefecture(request) -> str:
    """The prefecture the public pages show, read once per request (version and page)."""
    if not hasattr(request, "_casebook_prefecture"):
        request._casebook_prefecture = queries.home_prefecture(request.user)
    return request._casebook_prefecture


def _published_version(request, *args, **kwargs):
    return Case.objects.in_prefecture(_prefecture(request)).version()


def _case_version(request, pk: int, **kwargs):
    return tuple(Case.objects.filter(pk=pk).values_list("status", "updated_at"))


@public
@cached_public_page(_published_version)
def case_list(request):
    prefecture = _prefecture(request)
    years = (
        queries.public_cases(prefecture)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    form = SearchForm(request.GET or None, prefecture=prefecture, years=list(years))
    page, error = None, None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        try:
            results = queries.search_published(
                prefecture,
                query=data.get("q", ""),
                theme=data.get("theme"),
                municipality=data.get("municipality"),
                year=data.get("year"),
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            page = ResultPage(results, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casebook/case_list.html",
        {
            "form": form,
            "choices": _choices(form),
            "selected": {
                name: request.GET.get(name, "") for name in ("theme", "municipality", "year")
            },
            "page": page,
            "search_error": error,
            "query": query.urlencode(),
        },
    )


def _choices(form) -> dict[str, list[tuple[str, str]]]:
    """The filters' options as (value, label) strings, for the template to write out."""
    fields = form.fields
    return {
        "theme": [(str(t.pk), t.name) for t in fields["theme"].queryset],
        "municipality": [(m.code, m.name) for m in fields["municipality"].queryset],
        "year": [(str(v), label) for v, label in fields["year"].choices if v != ""],
    }


@public
@cached_public_page(_case_version)
def case_detail(request, pk: int):
    case = queries.get_case_for_user_or_404(request.user, pk)
    return render(
        request,
        "casebook/case_detail.html",
        {
            "case": case,
            "photos": queries.shown_photos(case),
            "can_work": Case.objects.in_scope_of(request.user).filter(pk=pk).exists(),
        },
    )


@public
def case_photo(request, pk: int, photo_pk: int):
    """A photo's file, only for a case the reader may see (never MEDIA_URL directly)."""
    photo = queries.get_photo_for_user_or_404(request.user, pk, photo_pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public
@cached_public_page(_published_version)
def casebook_pdf(request, year: int):
    prefecture = _prefecture(request)
    cases = list(
        queries.with_consent_in_force(queries.public_cases(prefecture))
        .filter(fiscal_year=year)
        .prefetch_related("themes", "photos")
        .order_by("municipality_id", "published_at", "pk")
    )
    if not cases:
        raise Http404
    center = Center.objects.filter(prefecture_id=prefecture).first()
    pdf = documents.casebook_pdf(fiscal_year=year, cases=cases, center=center)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="casebook-{year}.pdf"'
    return response


@public
@cached_public_page(_published_version)
def open_data_csv(request):
    prefecture = _prefecture(request)
    cases = queries.public_cases(prefecture).prefetch_related("themes").order_by("pk")
    base_url = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(
        documents.open_data_csv(cases, base_url=base_url), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="cases.csv"'
    return response
