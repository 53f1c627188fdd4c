"""The admin site, open to the roles that keep data there without being staff.

The DFØ liaison keeps the mapping of DFØ's status words in the admin (issue 14), but is no
Django staff user: being staff would show every model a superuser grants. The site lets the
roles of ``issues.permissions.may_use_admin`` in; each ModelAdmin's own permission methods then
decide what they see, so a liaison sees the status words and nothing else.
"""

from django.contrib import admin
from django.http import HttpRequest

from issues import permissions


class BottAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return permissions.may_use_admin(request.user)
