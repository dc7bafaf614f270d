"""The queue's select boxes, written in Python: Django renders a form widget through one
template per option, and the queue's filter and bulk forms have about sixty options, which cost
more than the page's queries (bench/staff_queue.py)."""

from __future__ import annotations

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def select(bound: forms.BoundField) -> SafeString:
    field = bound.field
    assert isinstance(field, forms.ChoiceField)
    value = bound.value()
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value or "")}
    multiple = isinstance(field, forms.MultipleChoiceField)
    choices: list[tuple[object, object]] = list(field.choices)  # type: ignore[arg-type]
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (key, SafeString(" selected") if str(key) in chosen else "", label)
            for key, label in choices
        ),
    )
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>',
        bound.html_name,
        bound.auto_id,
        SafeString(" multiple") if multiple else "",
        options,
    )
