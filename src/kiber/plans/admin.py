from django.contrib import admin

from kiber.plans.models import Institution, InstitutionMember, Plan, ProgressReport, ReportingRound, Task


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("abbreviation", "name", "kind", "parent", "organisation")
    search_fields = ("abbreviation", "name")
    list_filter = ("kind",)


@admin.register(InstitutionMember)
class InstitutionMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "institution", "is_coordinator")
    list_filter = ("is_coordinator",)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "kind", "owner")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("number", "plan", "deadline_text", "responsible_text")
    list_filter = ("plan",)
    search_fields = ("number", "text")


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "as_of", "closed_at")


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ("task", "round", "state", "computed_status", "override_status")
    list_filter = ("round", "state")
    readonly_fields = ("computed_status", "status_basis")
