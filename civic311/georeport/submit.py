"""POST requests: an app submits a service request (GeoReport v2, plus photos and retries)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from civic311.apikeys.models import ApiKey
from civic311.apikeys.selectors import usable_key
from civic311.choices import Channel, ServiceType
from civic311.georeport import views
from civic311.georeport.models import IdempotencyRecord, RequestToken
from civic311.georeport.params import attribute_answers
from civic311.lib import formats
from civic311.lib.api import presented_key
from civic311.lib.errors import InvalidInput, Problem
from civic311.lib.params import single_values
from civic311.lib.ratelimit import check_rate
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_IDEMPOTENCY_KEY = 200


def _body_hash(params: dict[str, str], answers: dict[str, list[str]], files: list[bytes]) -> str:
    digest = hashlib.sha256()
    for key in sorted(params):
        if key != "api_key":
            digest.update(f"{key}={params[key]}\n".encode())
    for code in sorted(answers):
        digest.update(f"attribute[{code}]={answers[code]}\n".encode())
    for data in files:
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def _replay(record: IdempotencyRecord, body_hash: str, fmt: str) -> HttpResponse:
    if record.body_hash != body_hash:
        return formats.errors(
            fmt,
            400,
            [_("Idempotency-Key: this key was already used for a different request.")],
        )
    response = HttpResponse(
        bytes(record.body), content_type=record.content_type, status=record.status_code
    )
    response["Idempotent-Replayed"] = "true"
    return response


def _check_content_type(request: HttpRequest) -> None:
    content_type = request.content_type or ""
    if content_type not in FORM_TYPES:
        raise InvalidInput(
            [
                Problem(
                    "content_type.unsupported",
                    "Content-Type",
                    _(
                        "Send the request form-encoded (application/x-www-form-urlencoded) or as "
                        "multipart/form-data with photos."
                    ),
                )
            ]
        )
    limit = settings.PHOTO_MAX_BYTES * settings.PHOTO_MAX_PER_REQUEST + 1_048_576
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > limit:
        raise InvalidInput([Problem("body.too_large", "body", _("The request body is too large."))])


def _photos(request: HttpRequest) -> list[tuple[bytes, str]]:
    return [(upload.read(), upload.name or "photo") for upload in request.FILES.getlist("media")]


@views.open311("POST")
def requests_post(request: HttpRequest, fmt: str) -> HttpResponse:
    _check_content_type(request)
    params = single_values(request.POST)
    key = usable_key(presented_key(request, params))
    limit = key.posts_per_minute or (
        settings.API_TEST_POST_PER_MINUTE if key.is_test else settings.API_POST_PER_MINUTE
    )
    check_rate("post", str(key.pk), limit)
    views.check_jurisdiction(params)
    answers = attribute_answers(request.POST)
    photos = _photos(request)

    idempotency_key = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency_key) > MAX_IDEMPOTENCY_KEY:
        raise InvalidInput(
            [Problem("idempotency_key.too_long", "Idempotency-Key", _("At most 200 characters."))]
        )
    body_hash = _body_hash(params, answers, [data for data, _name in photos])
    if idempotency_key:
        earlier = IdempotencyRecord.objects.filter(api_key=key, key=idempotency_key).first()
        if earlier is not None:
            return _replay(earlier, body_hash, fmt)

    try:
        return _submit(key, params, answers, photos, fmt, idempotency_key, body_hash)
    except IntegrityError:
        # The same Idempotency-Key arrived twice at once; the other one won. Answer as it did.
        record = IdempotencyRecord.objects.filter(api_key=key, key=idempotency_key).first()
        if idempotency_key and record is not None:
            return _replay(record, body_hash, fmt)
        raise


def _submit(
    key: ApiKey,
    params: dict[str, str],
    answers: dict[str, list[str]],
    photos: list[tuple[bytes, str]],
    fmt: str,
    idempotency_key: str,
    body_hash: str,
) -> HttpResponse:
    # What the transaction decided, for the answer written after it (outside the write lock).
    outcome: dict[str, Any] = {}

    def answer(request: ServiceRequest, token: str) -> HttpResponse:
        item: dict[str, Any] = (
            {"token": token} if token else {"service_request_id": request.tracking_number}
        )
        item["service_notice"] = request.service.service_notice or None
        item["account_id"] = params.get("account_id") or None
        return formats.render(fmt, "service_requests", [item], status=201)

    def answer_with_records(submission: actions.Submission) -> None:
        """Inside the submission's transaction: the token and the idempotency record commit
        with the request, or not at all."""
        request = submission.request
        token = ""
        if request.service.type == ServiceType.BATCH:
            token = RequestToken.objects.create(token=secrets.token_hex(16), request=request).token
        outcome["token"] = token
        if idempotency_key:
            response = outcome["response"] = answer(request, token)
            IdempotencyRecord.objects.create(
                api_key=key,
                key=idempotency_key,
                body_hash=body_hash,
                status_code=response.status_code,
                content_type=response["Content-Type"],
                body=response.content,
            )

    submission = actions.submit_request(
        service_code=params.get("service_code", ""),
        channel=Channel.API,
        actor=actions.Actor.app(key.app_name),
        source=key.app_name,
        lat=params.get("lat"),
        long=params.get("long"),
        address=params.get("address_string", ""),
        address_id=params.get("address_id", ""),
        description=params.get("description", ""),
        answers=answers,
        contact=actions.Contact(
            first_name=params.get("first_name", ""),
            last_name=params.get("last_name", ""),
            email=params.get("email", ""),
            phone=params.get("phone", ""),
            device_id=params.get("device_id", ""),
            account_id=params.get("account_id", ""),
        ),
        media_url=params.get("media_url", ""),
        photos=photos,
        is_test=key.is_test,
        within=answer_with_records,
    )
    if "response" in outcome:
        return outcome["response"]
    return answer(submission.request, outcome["token"])
