"""API views for defects: parse, ask ``issues.permissions`` / selectors, call a service, answer."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from issues import permissions
from issues.api.pagination import RankCursorPagination
from issues.api.schema import ETAG_HEADER, if_match
from issues.api.serializers.common import FlagSerializer
from issues.api.serializers.defects import (
    LIST_FIELDS,
    DefectCreateSerializer,
    DefectListSerializer,
    DefectQuerySerializer,
    DefectReplaceSerializer,
    DefectSerializer,
    DefectUpdateSerializer,
    MergeSerializer,
    TierOverrideSerializer,
    TransitionSerializer,
)
from issues.api.views.common import SelectorFilterBackend, actor, expected_version, with_etag
from issues.filters import DefectFilter
from issues.models import (
    Defect,
    DefectStatus,
)
from issues.selectors.defects import RANK_ORDER, defect_detail, defect_list
from issues.services.defects import (
    defect_create,
    defect_override_tier,
    defect_transition,
    defect_update,
)
from issues.services.merge import defect_merge
from issues.services.participation import affects_us_add, affects_us_remove, follow_set
from priorities.rules import FACT_NAMES, TIERS

# ?ordering= values and what they mean; every order ends in a unique column for stable cursors.
ORDERINGS: dict[str, tuple[str, ...]] = {
    "rank": RANK_ORDER,
    "-created_at": ("-created_at", "-id"),
    "created_at": ("created_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
    "updated_at": ("updated_at", "id"),
    "-weekly_cost": ("-weekly_cost", "-id"),
    "id": ("id",),
    "-id": ("-id",),
}


# Columns DefectListSerializer reads; foreign keys are rendered as ids, so no joins are needed.
LIST_COLUMNS = (
    *(f for f in LIST_FIELDS if f not in ("key", "has_workaround")),
    "workaround",
)


DEFECT_LIST_PARAMETERS = [
    OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        enum=list(ORDERINGS),
        description="Sortering; standard er prioritert rekkefølge (rank).",
    ),
    # DefectFilter's method filters carry no type information; state what they accept.
    OpenApiParameter("institution", {"type": "array", "items": {"type": "integer"}}, explode=True),
    OpenApiParameter("tier", {"type": "array", "items": {"type": "integer", "enum": list(TIERS)}}),
    OpenApiParameter("has_workaround", OpenApiTypes.BOOL),
    OpenApiParameter("has_dfo_reference", OpenApiTypes.BOOL),
    OpenApiParameter("min_age_days", {"type": "integer", "minimum": 0, "maximum": 36500}),
    OpenApiParameter("max_age_days", {"type": "integer", "minimum": 0, "maximum": 36500}),
]


@extend_schema(tags=["defects"])
class DefectViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Defect],
):
    """Defects the caller may see; hidden ones answer 404 exactly like missing ones."""

    pagination_class = RankCursorPagination
    filterset_class = DefectFilter
    filter_backends = [SelectorFilterBackend]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def ordering_for(self, request: Request) -> tuple[str, ...]:
        value = request.query_params.get("ordering", "rank")
        if value not in ORDERINGS:
            raise ValidationError(
                {"ordering": [_("Ukjent sortering. Gyldige verdier: %s") % ", ".join(ORDERINGS)]}
            )
        return ORDERINGS[value]

    def get_queryset(self) -> QuerySet[Defect]:
        if getattr(self, "swagger_fake_view", False):
            return Defect.objects.none()
        if self.action == "list":
            DefectQuerySerializer(data=self.request.query_params).is_valid(raise_exception=True)
        qs = defect_list(user=self.request.user, filters=self.request.query_params)
        # The list shows related rows as ids: no joins, and only the columns it renders, so the
        # database sorts narrow rows and stops at the page.
        return (
            qs.select_related(None).only(*LIST_COLUMNS).order_by(*self.ordering_for(self.request))
        )

    def get_object(self) -> Defect:
        return defect_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "list":
            return DefectListSerializer
        return DefectSerializer

    @extend_schema(parameters=DEFECT_LIST_PARAMETERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[ETAG_HEADER])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        defect = self.get_object()
        return with_etag(Response(DefectSerializer(defect).data), defect)

    @extend_schema(
        request=DefectCreateSerializer,
        responses={201: DefectSerializer},
        parameters=[ETAG_HEADER],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._valid(DefectCreateSerializer(data=request.data))
        institution = data.get("institution")
        if (
            institution is not None
            and institution.pk != actor(request).institution_id
            and not permissions.is_management(request.user)
        ):
            raise PermissionDenied(_("Bare forvaltningsteamet kan melde for en annen institusjon."))
        facts = {name: data.pop(name) for name in list(data) if name in FACT_NAMES}
        defect = defect_create(reporter=actor(request), facts=facts, **data)
        response = Response(DefectSerializer(defect).data, status=201)
        response["Location"] = f"{request.path}{defect.pk}/"
        return with_etag(response, defect)

    @extend_schema(
        request=DefectUpdateSerializer,
        responses={200: DefectSerializer},
        parameters=[if_match(required=True), ETAG_HEADER],
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._write(request, DefectUpdateSerializer, partial=True)

    @extend_schema(
        request=DefectReplaceSerializer,
        responses={200: DefectSerializer},
        parameters=[if_match(required=True), ETAG_HEADER],
        description="Erstatt alle beskrivende felter; felter bare forvaltningen setter er valgfrie.",
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._write(request, DefectReplaceSerializer, partial=False)

    def _write(
        self, request: Request, serializer_class: type[BaseSerializer[Any]], *, partial: bool
    ) -> Response:
        defect = self.get_object()
        data = self._valid(serializer_class(data=request.data, partial=partial))
        version = expected_version(request, defect, required=True)
        assert version is not None
        updated = defect_update(
            defect=defect, actor=actor(request), expected_version=version, data=data
        )
        return with_etag(Response(DefectSerializer(updated).data), updated)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: DefectSerializer},
        parameters=[if_match(required=False), ETAG_HEADER],
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        defect = self.get_object()
        data = self._valid(TransitionSerializer(data=request.data))
        if data["to_status"] == DefectStatus.DUPLICATE:
            # Only a merge moves the people and the talk along; a bare status would strand them.
            raise ValidationError(
                {"to_status": [_("Bruk merge-handlingen for å gjøre en sak til duplikat.")]}
            )
        version = expected_version(request, defect, required=False)
        duplicate_of = None
        if data.get("duplicate_of"):
            duplicate_of = defect_detail(user=request.user, pk=data["duplicate_of"])
        updated = defect_transition(
            defect=defect,
            actor=actor(request),
            to_status=data["to_status"],
            expected_version=version,
            note=data.get("note", ""),
            duplicate_of=duplicate_of,
        )
        return with_etag(Response(DefectSerializer(updated).data), updated)

    @extend_schema(
        request=TierOverrideSerializer,
        responses={200: DefectSerializer},
        parameters=[if_match(required=False), ETAG_HEADER],
    )
    @action(detail=True, methods=["post"], url_path="tier-override")
    def tier_override(self, request: Request, pk: str) -> Response:
        defect = self.get_object()
        data = self._valid(TierOverrideSerializer(data=request.data))
        version = expected_version(request, defect, required=False)
        updated = defect_override_tier(
            defect=defect,
            actor=actor(request),
            tier=data["tier"],
            reason=data["reason"],
            expected_version=version,
        )
        return with_etag(Response(DefectSerializer(updated).data), updated)

    @extend_schema(
        request=MergeSerializer,
        responses={200: DefectSerializer},
        parameters=[if_match(required=False), ETAG_HEADER],
        description="Slå denne saken sammen med en annen (`into`); svaret er saken som beholdes.",
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        defect = self.get_object()
        if not permissions.can_merge(request.user):
            raise PermissionDenied
        data = self._valid(MergeSerializer(data=request.data))
        version = expected_version(request, defect, required=False)
        canonical = defect_detail(user=request.user, pk=data["into"])
        # The same merge as the triage page: one service, so the API is no back door.
        merged = defect_merge(
            duplicate=defect,
            canonical=canonical,
            actor=actor(request),
            duplicate_version=defect.version if version is None else version,
            canonical_version=canonical.version,
        )
        return with_etag(Response(DefectSerializer(merged).data), merged)

    @extend_schema(request=None, responses={200: FlagSerializer})
    @action(detail=True, methods=["post", "delete"], url_path="affects-us")
    def affects_us(self, request: Request, pk: str) -> Response:
        defect = self.get_object()
        if request.method == "DELETE":
            affects_us_remove(defect=defect, user=actor(request))
            return Response({"active": False})
        affects_us_add(defect=defect, user=actor(request))
        return Response({"active": True})

    @extend_schema(request=None, responses={200: FlagSerializer})
    @action(detail=True, methods=["post", "delete"])
    def follow(self, request: Request, pk: str) -> Response:
        defect = self.get_object()
        active = follow_set(defect=defect, user=actor(request), follow=request.method != "DELETE")
        return Response({"active": active})

    @staticmethod
    def _valid(serializer: BaseSerializer[Any]) -> dict[str, Any]:
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
