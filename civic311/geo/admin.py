from django.contrib import admin

from civic311.geo.models import AddressPoint, Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "kind", "code", "approximate", "updated_at"]
    list_filter = ["kind", "approximate"]
    search_fields = ["name", "code"]
    # Boundaries come from `manage.py import_boundaries`; the shapes are too large to edit here.
    readonly_fields = ["geometry"]


@admin.register(AddressPoint)
class AddressPointAdmin(admin.ModelAdmin[AddressPoint]):
    list_display = ["address", "zipcode", "lat", "long"]
    search_fields = ["key", "address"]
    readonly_fields = ["key", "h3_r9"]
