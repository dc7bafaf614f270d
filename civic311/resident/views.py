from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civic311.catalog.models import Jurisdiction, Service
from civic311.resident.forms import LookupForm
from civic311.service_requests import selectors
from civic311.service_requests.models import ServiceRequest

FIGURES_KEY = "resident:city-figures"
FIGURES_SECONDS = 60


def home(request: HttpRequest) -> HttpResponse:
    # Counting a month of closures reads tens of thousands of index entries (~100 ms at a
    # million requests); the home page's two figures may be a minute old.
    figures: selectors.CityFigures | None = cache.get(FIGURES_KEY)
    if figures is None:
        figures = selectors.city_figures()
        cache.set(FIGURES_KEY, figures, FIGURES_SECONDS)
    context = {
        "jurisdiction": Jurisdiction.objects.first(),
        "services": Service.objects.filter(active=True).only(
            "service_code", "service_name", "group", "translations"
        ),
        "open_count": figures.open_requests,
        "closed_count": figures.closed_last_30_days,
        "recent": ServiceRequest.objects.select_related("service")
        .filter(is_test=False)
        .order_by("-requested_at")[:15],
        "lookup_form": LookupForm(),
    }
    return render(request, "resident/home.html", context)
