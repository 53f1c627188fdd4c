"""URL patterns, one module per part of the app so each part can grow on its own."""

from .api_tokens import urlpatterns as api_token_urls
from .escalation import urlpatterns as escalation_urls
from .reporting import urlpatterns as reporting_urls
from .triage import urlpatterns as triage_urls

app_name = "issues"

urlpatterns = [*reporting_urls, *escalation_urls, *triage_urls, *api_token_urls]
