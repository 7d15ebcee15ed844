"""Read-only admin views of the catalogue (changes go through ``kiber.assets.services``)."""

from django.contrib import admin

from kiber.assets.models import (
    InformationResource,
    InformationSystem,
    OrganisationCatalogue,
    ResponsiblePerson,
    SystemDependency,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InformationSystem)
class InformationSystemAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "security_class", "confidentiality", "integrity", "availability")
    list_filter = ("security_class", "in_ci_set")
    search_fields = ("name", "organisation__name")


@admin.register(InformationResource)
class InformationResourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "system", "confidentiality", "integrity", "availability")
    search_fields = ("name", "system__name")


admin.site.register([OrganisationCatalogue, SystemDependency, ResponsiblePerson], ReadOnlyAdmin)
