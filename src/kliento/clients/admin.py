from django.contrib import admin

from kliento.clients.models import ImportJob, Segment, Tag


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "target", "status", "total_rows", "error_count", "created_at"]
    list_filter = ["target", "status"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
