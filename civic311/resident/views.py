from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from civic311.catalog.models import Jurisdiction, Service
from civic311.choices import Status
from civic311.resident.forms import LookupForm
from civic311.service_requests.models import ServiceRequest


def home(request: HttpRequest) -> HttpResponse:
    requests = ServiceRequest.objects.all()
    month_ago = timezone.now() - timedelta(days=30)
    context = {
        "jurisdiction": Jurisdiction.objects.first(),
        "services": Service.objects.filter(active=True).only("service_name", "group"),
        "open_count": requests.filter(status__in=Status.open_values()).count(),
        "closed_count": requests.filter(
            status__in=Status.closed_values(), closed_at__gte=month_ago
        ).count(),
        "recent": requests.select_related("service")
        .filter(is_test=False)
        .order_by("-requested_at")[:15],
        "lookup_form": LookupForm(),
    }
    return render(request, "resident/home.html", context)
