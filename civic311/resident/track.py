"""The public tracking page: find a request by its number, however it was typed, and see where
it stands. Nothing personal is ever put on these pages: no reporter contact is read at all."""

from __future__ import annotations

import dataclasses
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from civic311.lib.errors import InvalidInput
from civic311.media.selectors import photo_urls
from civic311.resident import follow
from civic311.resident.forms import FollowForm, LookupForm
from civic311.service_requests import selectors, wording
from civic311.service_requests.models import ServiceRequest

FOLLOWING = "following"


def track_url(number: str) -> str:
    return reverse("resident:track", kwargs={"number": number})


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """/track/?number=…: the request's canonical page, or the form again with "not found"."""
    if "number" not in request.GET:
        return render(request, "resident/track_lookup.html", {"form": LookupForm()})
    form = LookupForm(request.GET)
    if form.is_valid():
        found = selectors.find_by_typed_number(form.cleaned_data["number"])
        if found is not None:
            return redirect(track_url(found.tracking_number))
        return _not_found(request, form, form.cleaned_data["number"])
    return render(request, "resident/track_lookup.html", {"form": form}, status=400)


def _not_found(request: HttpRequest, form: LookupForm, typed: str) -> HttpResponse:
    return render(
        request,
        "resident/track_lookup.html",
        {"form": form, "not_found": typed},
        status=404,
    )


def _find(number: str) -> ServiceRequest | None:
    return selectors.get_by_tracking_number(number)


@require_GET
def track(request: HttpRequest, number: str) -> HttpResponse:
    found = _find(number)
    if found is None:
        # /track/2600012345 or /track/26 12345 typed into the address bar.
        meant = selectors.find_by_typed_number(number)
        if meant is not None:
            return redirect(track_url(meant.tracking_number))
        return _not_found(request, LookupForm(initial={"number": number}), number)
    return _page(request, found, FollowForm(), following=request.GET.get(FOLLOWING) == "1")


@require_POST
def follow_request(request: HttpRequest, number: str) -> HttpResponse:
    found = _find(number)
    if found is None:
        return _not_found(request, LookupForm(initial={"number": number}), number)
    form = FollowForm(request.POST)
    if form.is_valid():
        try:
            follow.follow_by_email(
                request=found,
                email=form.cleaned_data["email"],
                language=(get_language() or settings.LANGUAGE_CODE)[:8],
            )
        except InvalidInput as error:
            for problem in error.problems:
                form.add_error("email", problem.message)
        else:
            # Post/redirect/get: a reload does not post again. The address is not carried over.
            return redirect(f"{track_url(found.tracking_number)}?{FOLLOWING}=1#follow")
    return _page(request, found, form, status=400)


ESTIMATE_SECONDS = 300


def _estimate(sr: ServiceRequest) -> selectors.Estimate:
    """How long the same service usually takes in the same community area: the same for every
    request there, and two queries reading up to 400 rows (a good part of the page's time at a
    million requests), so kept for a few minutes; the SLA date is the request's own."""
    key = f"resident:estimate:{sr.service_id}:{sr.community_area}:{get_language()}"
    typical = cache.get(key)
    if typical is None:
        typical = selectors.completion_estimate(sr)
        cache.set(key, typical, ESTIMATE_SECONDS)
    return dataclasses.replace(typical, sla_due=sr.expected_at)


def _page(
    request: HttpRequest,
    sr: ServiceRequest,
    follow_form: FollowForm,
    *,
    following: bool = False,
    status: int = 200,
) -> HttpResponse:
    prefetch_related_objects([sr], "photos")
    images, thumbnails = photo_urls(sr), photo_urls(sr, thumbnails=True)
    if len(thumbnails) != len(images):  # a photo without a thumbnail: show the image itself
        thumbnails = images
    photos = list(zip(thumbnails, images, strict=True))
    context: dict[str, Any] = {
        "sr": sr,
        "canonical_url": track_url(sr.tracking_number),
        "feed_url": reverse("resident:track-feed", kwargs={"number": sr.tracking_number}),
        "follow_url": reverse("resident:track-follow", kwargs={"number": sr.tracking_number}),
        "ward_feed_url": (
            reverse("resident:ward-feed", kwargs={"code": sr.ward}) if sr.ward else ""
        ),
        "areas": selectors.area_names(sr),
        "status_sentence": wording.status_sentence(sr),
        "lines": wording.request_lines(sr),
        "photos": photos,
        "parent": sr.parent,
        "duplicates": selectors.duplicates_count(sr),
        "estimate": None if sr.is_closed else _estimate(sr),
        "follow_form": follow_form,
        "following": following,
        "city_time_zone": ZoneInfo(settings.CITY_TIME_ZONE),
        "now_utc": timezone.now(),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "resident/track.html", context, status=status)
