"""Django admin for platform administrators; submissions and deliveries are read-only there."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from kiber.registry.models import Delivery, ManagerAppointment, Organisation, ResponsiblePerson, Submission, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "registration_number", "sector", "category", "category_override", "is_ci_owner")
    list_filter = ("sector", "category", "is_ci_owner")
    search_fields = ("name", "registration_number")
    readonly_fields = ("category", "size", "category_reasons", "category_basis")


@admin.register(User)
class KiberUserAdmin(UserAdmin):
    list_display = ("username", "role", "organisation", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Kiber", {"fields": ("role", "organisation", "supervised_sectors", "phone", "must_change_password")}),
    )


@admin.register(ManagerAppointment)
class ManagerAppointmentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "term_start", "term_end", "ended_on", "eligible", "sab_check")
    search_fields = ("last_name", "email", "personal_code")


admin.site.register(ResponsiblePerson)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "kind", "version", "notice_type", "submitted_at")
    list_filter = ("kind",)
    exclude = ("pdf",)  # stored files have no URL; the PDF is downloaded from the submission's page


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("submission", "organisation", "recipient", "delivered_at", "read_at")
    list_filter = ("recipient",)
