"""DRF permission classes; each asks ``issues.permissions``, never decides on its own."""

from typing import Any

from rest_framework import permissions as drf_permissions
from rest_framework.request import Request

from issues import permissions


class IsManagementForWrites(drf_permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in drf_permissions.SAFE_METHODS:
            return True
        return permissions.is_management(request.user)


class SeesEverything(drf_permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return permissions.sees_everything(request.user)
