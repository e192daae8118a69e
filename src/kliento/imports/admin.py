from django.contrib import admin
from django.http import HttpRequest

from kliento.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "target", "status", "total_rows", "error_count", "created_at"]
    list_filter = ["target", "status"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
