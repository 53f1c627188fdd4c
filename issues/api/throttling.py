"""Rate limits for personal tokens; browser sessions are limited by the person at the keyboard."""

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from issues.models import ApiToken
from issues.throttle import CACHE_ERRORS

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from rest_framework.views import APIView


class TokenUserRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_rate(self) -> str | None:
        # Read at request time (not import time) so the rate can be changed per environment/test.
        return str(settings.API_TOKEN_THROTTLE_RATE)

    def allow_request(self, request: Request, view: "APIView") -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            # The limit protects the service from a runaway script; refusing every token call
            # while Redis is down would be the outage it guards against. Let it through.
            log.warning("API rate limit skipped, cache unavailable: %s", exc)
            return True

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        # Per user, not per token: making more tokens does not buy more requests.
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
