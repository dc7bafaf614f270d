"""The console's doors: who gets in, and permission-scoped getters for what they open.

Views never fetch requests with `objects.get()`: they ask here, with the user, so a role's
reach is decided in one place (the rules themselves are service_requests/permissions.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from civic311.choices import AreaKind, Role
from civic311.departments.models import Membership
from civic311.geo.models import Area
from civic311.lib.errors import NotFound, Problem
from civic311.service_requests import permissions
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.permissions import StaffRole

View = Callable[..., HttpResponse]


def staff_view(*roles: str) -> Callable[[View], View]:
    """Log in first; then only users with a staff role (one of `roles`, if named) get in."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            role = permissions.role_of(request.user)
            if role is None or (roles and role.role not in roles and role.role != "administrator"):
                raise PermissionDenied(_("Your account has no access to this page."))
            return view(request, *args, **kwargs)

        return login_required(wrapped, login_url="staff:login")

    return decorator


def staff_user(request: HttpRequest) -> AbstractBaseUser:
    """The logged-in user of a `staff_view` (never anonymous there)."""
    user = request.user
    if not isinstance(user, AbstractBaseUser) or not user.is_authenticated:
        raise PermissionDenied
    return user


def role(request: HttpRequest) -> StaffRole:
    found = permissions.role_of(request.user)
    if found is None:
        raise PermissionDenied
    return found


def get_request_for_staff(user: Any, number: str) -> ServiceRequest:
    """Any staff member may read any request; what they may change is the actions' business."""
    if permissions.role_of(user) is None:
        raise PermissionDenied
    found = (
        ServiceRequest.objects.select_related("service", "department", "parent", "assignee")
        .filter(tracking_number=number)
        .first()
    )
    if found is None:
        raise NotFound(
            [
                Problem(
                    "request.unknown",
                    "number",
                    _("There is no request %(number)s.") % {"number": number[:20]},
                )
            ]
        )
    return found


def get_ward_for_staff(user: Any, code: str) -> Area:
    """A ward, for a user who may read its requests: a ward office its own ward only, other
    staff any ward."""
    mine = permissions.role_of(user)
    if mine is None:
        raise PermissionDenied
    if mine.role == Role.WARD_OFFICE and mine.ward != code:
        raise PermissionDenied(_("A ward office sees its own ward only."))
    area = Area.objects.filter(kind=AreaKind.WARD, code=code).first()
    if area is None:
        raise Http404(_("There is no ward %(ward)s.") % {"ward": code[:32]})
    return area


def get_requests_for_staff(user: Any, numbers: list[str]) -> dict[str, ServiceRequest]:
    """Requests by tracking number, for a bulk action: unknown numbers are simply missing."""
    if permissions.role_of(user) is None:
        raise PermissionDenied
    found = ServiceRequest.objects.select_related("service", "department").filter(
        tracking_number__in=numbers
    )
    return {sr.tracking_number: sr for sr in found}


def colleagues(role: StaffRole) -> list[tuple[int, str]]:
    """Who work may be assigned to: the people of the user's department (an administrator:
    of every department), as (user id, name)."""
    members = Membership.objects.filter(
        role__in=[Role.DEPARTMENT_STAFF, Role.SUPERVISOR], user__is_active=True
    ).select_related("user", "department")
    if role.role != Role.ADMINISTRATOR:
        if role.department_id is None:
            return []
        members = members.filter(department_id=role.department_id)
    people = []
    for member in members.order_by("department__name", "user__first_name", "user__username"):
        name = member.user.get_full_name() or member.user.get_username()
        if role.role == Role.ADMINISTRATOR and member.department is not None:
            name = f"{name} ({member.department.name})"
        people.append((int(member.user_id), name))
    return people
