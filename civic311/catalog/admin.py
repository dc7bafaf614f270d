from django.contrib import admin

from civic311.catalog.models import AttributeValue, Jurisdiction, Service, ServiceAttribute
from civic311.departments.models import RoutingRule


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin[Jurisdiction]):
    list_display = ["name", "jurisdiction_id"]


class ServiceAttributeInline(admin.TabularInline[ServiceAttribute, Service]):
    model = ServiceAttribute
    extra = 0
    fields = ["order", "code", "description", "datatype", "required", "variable"]
    show_change_link = True  # list answers are edited on the question's own page


class RoutingRuleInline(admin.TabularInline[RoutingRule, Service]):
    model = RoutingRule
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = [
        "service_name",
        "service_code",
        "group",
        "department",
        "sla_hours",
        "duplicate_policy",
        "active",
    ]
    list_filter = ["active", "group", "department", "duplicate_policy"]
    search_fields = ["service_name", "service_code", "keywords"]
    list_select_related = ["department"]
    inlines = [ServiceAttributeInline, RoutingRuleInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "jurisdiction",
                    "service_code",
                    "service_name",
                    "description",
                    "group",
                    "keywords",
                    "type",
                    "service_notice",
                    "active",
                ]
            },
        ),
        ("Routing and service level", {"fields": ["department", "default_priority", "sla_hours"]}),
        ("Duplicates", {"fields": ["duplicate_policy", "duplicate_radius_m"]}),
    ]


class AttributeValueInline(admin.TabularInline[AttributeValue, ServiceAttribute]):
    model = AttributeValue
    extra = 1


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin[ServiceAttribute]):
    list_display = ["service", "code", "datatype", "required", "order"]
    list_filter = ["datatype", "required"]
    search_fields = ["code", "description", "service__service_name"]
    list_select_related = ["service"]
    inlines = [AttributeValueInline]
