"""Personal API tokens sent as ``Authorization: Bearer <token>``."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from issues.models import ApiToken, User
from issues.models.api_tokens import hash_token

# Writing last_used on every request would turn each read into a write; a minute is precise enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


# "Bearer <token>"
_HEADER_PARTS = 2


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != _HEADER_PARTS:
            raise exceptions.AuthenticationFailed(_("Ugyldig Authorization-header."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Ugyldig API-nøkkel.")) from exc
        token = (
            ApiToken.objects.select_related("user", "user__institution")
            .filter(token_hash=hash_token(raw))
            .first()
        )
        if token is None or token.revoked is not None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Ugyldig eller tilbaketrukket API-nøkkel."))
        now = timezone.now()
        if token.last_used is None or now - token.last_used > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "issues.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Personlig API-nøkkel fra siden /api-tokens/.",
        }
