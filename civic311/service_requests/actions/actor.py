"""Who makes a change: a staff user, or a label for residents, apps and the system."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _

from civic311.choices import Role
from civic311.service_requests import permissions


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a staff user, or a label for residents, apps and the system.

    `label` is what the public timeline shows ("Streets and Sanitation", "Resident"); a staff
    member's own name stays in the audit log (`actor`), not in public output."""

    label: str
    user: AbstractBaseUser | AnonymousUser | None = None

    @classmethod
    def resident(cls) -> Actor:
        return cls(label=_("Resident"))

    @classmethod
    def system(cls) -> Actor:
        return cls(label=_("Civic311"))

    @classmethod
    def app(cls, name: str) -> Actor:
        return cls(label=name)

    @classmethod
    def staff(cls, user: AbstractBaseUser) -> Actor:
        """A staff member: the public sees their department or office, the audit log sees them."""
        role = permissions.role_of(user)
        if role is None:
            label = _("City staff")
        elif role.department_name:
            label = role.department_name
        elif role.role == Role.WARD_OFFICE:
            label = _("Ward %(ward)s office") % {"ward": role.ward}
        elif role.role == Role.OPERATOR:
            label = _("311 call center")
        else:
            label = _("City staff")
        return cls(label=label, user=user)

    @property
    def user_id(self) -> int | None:
        user = self.user
        if user is None or not user.is_authenticated:
            return None
        return int(user.pk)
