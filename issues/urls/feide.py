"""Feide login (OpenID Connect). Top-level names: the callback is what IT registers at Feide."""

from django.urls import path

from issues.views import feide

urlpatterns = [
    path("login/feide/", feide.feide_login, name="feide-login"),
    path("login/feide/callback/", feide.feide_callback, name="feide-callback"),
]
