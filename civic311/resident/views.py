from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civic311.catalog.models import Jurisdiction, Service
from civic311.resident.forms import LookupForm
from civic311.service_requests import selectors
from civic311.service_requests.models import ServiceRequest


def home(request: HttpRequest) -> HttpResponse:
    figures = selectors.city_figures()
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
