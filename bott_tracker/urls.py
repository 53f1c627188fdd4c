from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from issues.views.auth import ThrottledLoginView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("issues.urls")),
]
