from typing import Any

from django import template

from civic311.catalog.translation import translated

register = template.Library()


@register.filter(name="tr")
def tr(obj: Any, field: str) -> str:
    """{{ service|tr:"service_name" }}: the field in the active language (catalog.translation)."""
    return translated(obj, field)
