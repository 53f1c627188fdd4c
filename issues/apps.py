from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "issues"
    verbose_name = _("Feil og mangler")

    def ready(self) -> None:
        # Connects the login/logout receivers of the audit log.
        from django.db.models.signals import pre_save  # noqa: PLC0415

        from issues import signals  # noqa: F401, PLC0415 - connects receivers once the app registry is ready
        from issues.hygiene import clean_before_save  # noqa: PLC0415 - imports the models

        pre_save.connect(clean_before_save, dispatch_uid="issues_text_hygiene")
