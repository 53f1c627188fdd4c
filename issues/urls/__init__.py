"""URL patterns, one module per part of the app so each part can grow on its own."""

from .reporting import urlpatterns as reporting_urls
from .triage import urlpatterns as triage_urls

app_name = "issues"

urlpatterns = [*reporting_urls]
urlpatterns += triage_urls
