"""Who may do what to a request: one policy, checked by every action (service_requests/actions)
and read by the staff console to offer only what will work.

Residents, apps and the system act without a user: the channel that lets them act has already
decided (an API key, a follower's token). A staff user acts through their one role
(`departments.Membership`); a superuser without one is an administrator.

The rules, in short: everyone on staff can read any request; department staff and supervisors
work, reroute and merge their own department's open requests (and reroute them *to* any
department); only supervisors reopen; operators log notes on open requests and take new ones;
a ward office reads its own ward's internal notes and adds notes there; administrators do all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from civic311.choices import Role
from civic311.departments.models import Membership
from civic311.lib.errors import NotPermitted, Problem

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    from civic311.service_requests.models import ServiceRequest

    User = AbstractBaseUser | AnonymousUser


class Verb(enum.StrEnum):
    SEE_INTERNAL = "see_internal"  # read internal notes and the reporter's contact
    WORK = "work"  # acknowledge, assign, schedule, set status, close
    NOTE = "note"  # add a note (public or internal)
    REROUTE = "reroute"
    MERGE = "merge"
    REOPEN = "reopen"


@dataclass(frozen=True)
class StaffRole:
    role: str
    department_id: int | None = None
    department_name: str = ""
    ward: str = ""


_NO_ROLE = StaffRole(role="")
_CACHE = "_civic311_staff_role"


def role_of(user: User | None) -> StaffRole | None:
    """The user's role, read once per user object (a bulk action checks fifty requests)."""
    if user is None or not user.is_authenticated or not getattr(user, "is_active", False):
        return None
    cached: StaffRole | None = user.__dict__.get(_CACHE)
    if cached is None:
        membership = Membership.objects.select_related("department").filter(user_id=user.pk).first()
        if membership is not None:
            cached = StaffRole(
                role=membership.role,
                department_id=membership.department_id,
                department_name=membership.department.name if membership.department else "",
                ward=membership.ward,
            )
        elif getattr(user, "is_superuser", False):
            cached = StaffRole(role=Role.ADMINISTRATOR)
        else:
            cached = _NO_ROLE
        user.__dict__[_CACHE] = cached
    return None if cached is _NO_ROLE else cached


def forget_role(user: User) -> None:
    user.__dict__.pop(_CACHE, None)


def allowed(user: User | None, verb: Verb, request: ServiceRequest) -> bool:
    role = role_of(user)
    if role is None:
        return False
    if role.role == Role.ADMINISTRATOR:
        return True
    is_open = not request.is_closed
    if role.role in (Role.DEPARTMENT_STAFF, Role.SUPERVISOR):
        if verb is Verb.SEE_INTERNAL:
            return True
        own = role.department_id == request.department_id
        if verb is Verb.REOPEN:
            return own and role.role == Role.SUPERVISOR
        return own and is_open
    if role.role == Role.OPERATOR:
        return verb is Verb.SEE_INTERNAL or (verb is Verb.NOTE and is_open)
    if role.role == Role.WARD_OFFICE:
        in_ward = bool(role.ward) and role.ward == request.ward
        return in_ward and (verb is Verb.SEE_INTERNAL or (verb is Verb.NOTE and is_open))
    return False


def may_submit(user: User | None) -> bool:
    """Any staff role may take a request for a caller or constituent."""
    return role_of(user) is not None


_REFUSALS = {
    Verb.SEE_INTERNAL: _("You may not read this request's internal notes."),
    Verb.WORK: _("You may not change request %(number)s."),
    Verb.NOTE: _("You may not add notes to request %(number)s."),
    Verb.REROUTE: _("You may not reroute request %(number)s."),
    Verb.MERGE: _("You may not merge request %(number)s."),
    Verb.REOPEN: _("You may not reopen request %(number)s."),
}


def check(user: User | None, verb: Verb, request: ServiceRequest) -> None:
    """Raise NotPermitted unless `user` may do `verb` to `request`. No user: not a staff
    action, and the channel has already decided."""
    if user is None or not user.is_authenticated:
        return
    if not allowed(user, verb, request):
        message = str(_REFUSALS[verb]) % {"number": request.tracking_number}
        raise NotPermitted([Problem(f"permission.{verb.value}", "request", message)])


def may_submit_in_ward(user: User | None, ward: str) -> bool:
    """Where a staff member may take a request: a ward office in its own ward only."""
    role = role_of(user)
    if role is None:
        return False
    return role.role != Role.WARD_OFFICE or role.ward == ward
