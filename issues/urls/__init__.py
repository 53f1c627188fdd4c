"""URL patterns: one module per feature, each matching its module in ``issues/views/``."""

from issues.urls import (
    api_tokens,
    attachments,
    confirmations,
    defects,
    digests,
    exports,
    imports,
    meeting,
    preferences,
    queue,
    releases,
    reporting,
    routines,
    triage,
)

app_name = "issues"

urlpatterns = [
    *reporting.urlpatterns,
    *defects.urlpatterns,
    *attachments.urlpatterns,
    *confirmations.urlpatterns,
    *exports.urlpatterns,
    *imports.urlpatterns,
    *digests.urlpatterns,
    *queue.urlpatterns,
    *triage.urlpatterns,
    *meeting.urlpatterns,
    *releases.urlpatterns,
    *routines.urlpatterns,
    *preferences.urlpatterns,
    *api_tokens.urlpatterns,
]
