"""URL patterns, one module per part of the app so each part can grow on its own."""

from .api_tokens import urlpatterns as api_token_urls
from .reporting import urlpatterns as reporting_urls

app_name = "issues"

urlpatterns = [*reporting_urls, *api_token_urls]
