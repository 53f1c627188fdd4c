from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from issues.urls import feide as feide_urls
from issues.views.auth import ThrottledLoginView
from issues.views.feide import FeideLogoutView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", FeideLogoutView.as_view(), name="logout"),
    *feide_urls.urlpatterns,
    path("api/v1/", include("issues.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its start-up code as a separate script, so no inline JS is needed (CSP).
    # Swagger UI sets inline styles from its own script; only this page allows inline *styles*.
    # Replaced, not added to: beside the policy's style hashes a browser ignores 'unsafe-inline'.
    path(
        "api/docs/",
        csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("", include("issues.urls")),
]

handler400 = "issues.views.error_pages.bad_request"
handler403 = "issues.views.error_pages.permission_denied"
handler404 = "issues.views.error_pages.page_not_found"
handler500 = "issues.views.error_pages.server_error"
