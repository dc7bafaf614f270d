from django.contrib import admin

from civic311.departments.models import Department


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "code", "email"]
    search_fields = ["name", "code"]
