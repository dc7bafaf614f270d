from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civic311.staff.access import role, staff_view


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/home.html", {"role": role(request)})
