"""Admin for users: Django's user admin plus the institution and unit a reporter belongs to."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

# The escalation part registers its own models.
from issues.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("BOTT"), {"fields": ("institution", "unit", "feide_id")}),
    )
    # The Feide identity is the key a login finds the user by: set by the first Feide login,
    # shown so an administrator can tell Feide users from local accounts.
    readonly_fields = ("feide_id",)
    list_display = ("username", "email", "first_name", "last_name", "institution", "is_active")
    list_filter = ("institution", "groups", "is_active", "is_superuser")
    search_fields = (*BaseUserAdmin.search_fields, "feide_id")
    list_select_related = ("institution",)
