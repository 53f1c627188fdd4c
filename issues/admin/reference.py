"""Admin for reference data: institutions, units, areas with their categories, systems."""

from django.contrib import admin

# The escalation part registers its own models.
from issues.models import (
    Area,
    Category,
    FeideRealm,
    Institution,
    OrgUnit,
    RecurringDeadline,
    System,
)


class FeideRealmInline(admin.TabularInline):
    """The Feide realms whose users belong to this institution (``user@uio.no`` -> UiO)."""

    model = FeideRealm
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "active")
    search_fields = ("code", "name")
    inlines = (FeideRealmInline,)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "institution", "parent", "active")
    list_filter = ("institution", "active")
    search_fields = ("name", "code")
    list_select_related = ("institution", "parent")
    autocomplete_fields = ("parent",)


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    fields = ("code", "name_nb", "name_en", "order", "active")


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name_nb", "name_en", "order", "active")
    search_fields = ("code", "name_nb", "name_en")
    inlines = [CategoryInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name_nb", "code", "area", "order", "active")
    list_filter = ("area", "active")
    search_fields = ("code", "name_nb", "name_en")


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ("code", "name_nb", "name_en", "order", "active")
    search_fields = ("code", "name_nb", "name_en")


@admin.register(RecurringDeadline)
class RecurringDeadlineAdmin(admin.ModelAdmin):
    list_display = ("name", "day_of_month", "active")
    list_filter = ("active",)
