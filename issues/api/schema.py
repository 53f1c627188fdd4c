"""OpenAPI: every operation documents the error answers the API can give, with one JSON shape."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from issues.api.serializers.common import ErrorSerializer

ERROR_CODES_ALL = ("400", "401", "403", "404", "429")
ERROR_CODES_UNSAFE = ("409", "412", "415")
ERROR_CODES_PRECONDITION = ("428",)

ETAG_PATTERN = r'(W/)?"[0-9]+-[0-9]+"'
ETAG_LIST_PATTERN = rf"^{ETAG_PATTERN}(\s*,\s*{ETAG_PATTERN})*$"

ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    required=True,
    description="Versjonen av saken; send den i If-Match ved endring.",
)


def if_match(*, required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        "If-Match",
        {"type": "string", "pattern": ETAG_LIST_PATTERN},
        OpenApiParameter.HEADER,
        required=required,
        description=(
            "ETag fra siste GET. Mangler den, svarer API-et 428; er saken endret siden, 412."
            if required
            else "ETag fra siste GET; er saken endret siden, svarer API-et 412."
        ),
    )


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = list(ERROR_CODES_ALL)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += ERROR_CODES_UNSAFE
        if self.method in ("PUT", "PATCH"):
            codes += ERROR_CODES_PRECONDITION
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, media_types=["application/json"], direction=direction
                )
        return responses
