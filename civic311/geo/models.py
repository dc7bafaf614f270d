"""Places: the city's boundaries and its address points.

Geometry is stored as GeoJSON text and evaluated with shapely in the application, so SQLite and
PostgreSQL behave the same and no spatial extension is needed (see geo/locator.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civic311.choices import AreaKind


class Area(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    geometry = models.TextField(_("geometry (GeoJSON)"))
    approximate = models.BooleanField(
        _("approximate"),
        default=False,
        help_text=_("The shape is an approximation (e.g. wards built from census tracts)."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="area_kind_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class AddressPoint(models.Model):
    """A known address and where it is: the offline geocoder's data."""

    key = models.CharField(_("normalised address"), max_length=200, unique=True)
    address = models.CharField(_("address"), max_length=200)
    lat = models.FloatField(_("latitude"))
    long = models.FloatField(_("longitude"))
    zipcode = models.CharField(_("ZIP code"), max_length=10, blank=True)
    h3_r9 = models.CharField(max_length=16, db_index=True)

    class Meta:
        verbose_name = _("address point")
        verbose_name_plural = _("address points")

    def __str__(self) -> str:
        return self.address
