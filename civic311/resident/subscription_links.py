"""The confirm and unsubscribe links in followers' emails (the core's notifications build them).

GET only shows a page with a button: mail scanners and link previews fetch links, and must not
confirm or unsubscribe anyone. The button POSTs. Unsubscribing also accepts the RFC 8058
one-click POST a mail client sends by itself, which carries no CSRF token; the secret token in
the address is what authorises it. No page shows the address or anything about the reporter.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from civic311.lib.errors import NotFound
from civic311.notifications import subscriptions
from civic311.notifications.models import Subscription
from civic311.service_requests.tracking import tracking_url


def _page(
    request: HttpRequest, template: str, subscription: Subscription | None, **extra: object
) -> HttpResponse:
    context: dict[str, object] = {"subscription": subscription, **extra}
    if subscription is None:
        return render(request, template, context, status=404)
    number = subscription.request.tracking_number
    context.update(number=number, tracking_url=tracking_url(number))
    # In the language the follower chose, whatever the browser says.
    with translation.override(subscription.language):
        return render(request, template, context)


def _link(
    request: HttpRequest, token: str, act: Callable[[str], Subscription], template: str
) -> HttpResponse:
    """GET shows the page and its button; the button's POST does `act`."""
    done = request.method == "POST"
    try:
        subscription = act(token) if done else subscriptions.get_by_token(token)
    except NotFound:
        return _page(request, "resident/subscription/invalid_link.html", None)
    return _page(request, template, subscription, done=done)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _link(request, token, subscriptions.confirm, "resident/subscription/confirm.html")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return _link(
        request, token, subscriptions.unsubscribe, "resident/subscription/unsubscribe.html"
    )
