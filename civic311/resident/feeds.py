"""Atom feeds: one per request (its public timeline) and one per ward (the latest public
entries of its requests), so people and tools can follow without giving an email address.

Like the tracking page, a feed shows only public timeline sentences, the service and the
address: no contact, no actor."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from civic311.catalog.translation import translated
from civic311.resident.track import track_url
from civic311.service_requests import selectors, wording
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.wording import Line

Item = tuple[Line, ServiceRequest]


class _TimelineFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: Item) -> str:
        return item[0].plain

    def item_description(self, item: Item) -> str:
        line, request = item
        return f"{line.plain} ({request.address})" if request.address else line.plain

    def item_link(self, item: Item) -> str:
        line, request = item
        return f"{track_url(request.tracking_number)}#entry-{line.id}"

    def item_pubdate(self, item: Item) -> datetime:
        return item[0].at

    def item_updateddate(self, item: Item) -> datetime:
        return item[0].at


class RequestFeed(_TimelineFeed):
    def get_object(self, request: HttpRequest, number: str) -> ServiceRequest:
        found = selectors.get_by_tracking_number(number)
        if found is None:
            raise Http404(_("No request has this number."))
        return found

    def title(self, obj: ServiceRequest) -> str:
        return _("311 request %(number)s: %(service)s") % {
            "number": obj.tracking_number,
            "service": translated(obj.service, "service_name"),
        }

    def link(self, obj: ServiceRequest) -> str:
        return track_url(obj.tracking_number)

    def subtitle(self, obj: ServiceRequest) -> str:
        return wording.status_sentence(obj)

    def items(self, obj: ServiceRequest) -> list[Item]:
        return [(line, obj) for line in reversed(wording.request_lines(obj))]


class WardFeed(_TimelineFeed):
    def get_object(self, request: HttpRequest, code: str) -> str:
        if not selectors.ward_exists(code):
            raise Http404(_("There is no such ward."))
        return code

    def title(self, obj: str) -> str:
        return _("311 requests in ward %(ward)s") % {"ward": obj}

    def link(self, obj: str) -> str:
        return "/"

    def subtitle(self, obj: str) -> str:
        return _("The latest public updates on service requests in ward %(ward)s.") % {"ward": obj}

    def items(self, obj: str) -> list[Item]:
        entries = selectors.ward_public_timeline(obj)
        lines = wording.lines(entries)
        return [(line, entry.request) for line, entry in zip(lines, entries, strict=True)]

    def item_title(self, item: Item) -> str:
        line, request = item
        service = translated(request.service, "service_name")
        return f"{request.tracking_number} · {service}: {line.plain}"
