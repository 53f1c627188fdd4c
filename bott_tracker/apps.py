"""App configs of the project itself (kept free of model imports: it is read before the models)."""

from django.contrib.admin.apps import AdminConfig


class BottAdminConfig(AdminConfig):
    # See bott_tracker/admin_site.py for who may enter.
    default_site = "bott_tracker.admin_site.BottAdminSite"
