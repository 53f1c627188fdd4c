"""API views: parse, ask issues.permissions / selectors, call a service, answer. Nothing else."""

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from issues import (
    permissions,
    selectors,
    selectors_reporting,
    services,
    services_api,
    services_triage,
)
from issues.downloads import attachment_response
from issues.filters import DefectFilter
from issues.models import (
    Area,
    Attachment,
    Category,
    Comment,
    Defect,
    DefectStatus,
    Institution,
    Meeting,
    OrgUnit,
    Release,
    System,
    User,
)
from issues.uploads import ALLOWED

from . import serializers as s
from .errors import PreconditionFailed, PreconditionRequired
from .schema import ETAG_HEADER, if_match

# ?ordering= values and what they mean; every order ends in a unique column for stable cursors.
ORDERINGS: dict[str, tuple[str, ...]] = {
    "rank": selectors.RANK_ORDER,
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
    *(f for f in s.LIST_FIELDS if f not in ("key", "has_workaround")),
    "workaround",
)
_ETAG_RE = re.compile(r'^(?:W/)?"(\d+)-(\d+)"$')


def etag(defect: Defect) -> str:
    return f'"{defect.pk}-{defect.version}"'


def expected_version(request: Request, defect: Defect, *, required: bool) -> int | None:
    """The version the client last saw, from If-Match.

    Missing (or ``*``, which would match any version and so protect nothing): 428 when required.
    Not ETags of ours: 400. None of them the current version: 412.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        if required:
            raise PreconditionRequired()
        return None
    matches = [_ETAG_RE.match(candidate.strip()) for candidate in header.split(",")]
    if not all(matches):
        raise ValidationError({"If-Match": [_("Ugyldig ETag. Bruk verdien fra ETag-headeren.")]})
    for match in matches:
        assert match is not None
        if int(match[1]) == defect.pk and int(match[2]) == defect.version:
            return defect.version
    raise PreconditionFailed()


def actor(request: Request) -> User:
    """The authenticated user; every view here requires authentication before it runs."""
    user = request.user
    assert isinstance(user, User)
    return user


def with_etag(response: Response, defect: Defect) -> Response:
    response["ETag"] = etag(defect)
    return response


class SelectorFilterBackend(DjangoFilterBackend):
    """Documents DefectFilter's parameters; the filtering itself already ran in the selector."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        return queryset


class StrictCursorPagination(CursorPagination):
    """A bad ``page_size`` is a 400, not silently the default size."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [_("Må være et heltall fra 1 til %d.") % self.max_page_size]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 100}
        return parameters


class RankCursorPagination(StrictCursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        return tuple(view.ordering_for(request))


class CreatedCursorPagination(StrictCursorPagination):
    page_size = 50
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = ("created_at", "id")


class MeetingCursorPagination(CreatedCursorPagination):
    ordering = ("-starts_at", "-id")


DEFECT_LIST_PARAMETERS = [
    OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        enum=list(ORDERINGS),
        description="Sortering; standard er prioritert rekkefølge (rank).",
    ),
    # DefectFilter's method filters carry no type information; state what they accept.
    OpenApiParameter("institution", {"type": "array", "items": {"type": "integer"}}, explode=True),
    OpenApiParameter("tier", {"type": "array", "items": {"type": "integer", "enum": [1, 2, 3]}}),
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
            s.DefectQuerySerializer(data=self.request.query_params).is_valid(raise_exception=True)
        qs = selectors.defect_list(user=self.request.user, filters=self.request.query_params)
        # The list shows related rows as ids: no joins, and only the columns it renders, so the
        # database sorts narrow rows and stops at the page.
        return (
            qs.select_related(None).only(*LIST_COLUMNS).order_by(*self.ordering_for(self.request))
        )

    def get_object(self) -> Defect:
        return selectors.defect_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "list":
            return s.DefectListSerializer
        return s.DefectSerializer

    @extend_schema(parameters=DEFECT_LIST_PARAMETERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[ETAG_HEADER])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        defect = self.get_object()
        return with_etag(Response(s.DefectSerializer(defect).data), defect)

    @extend_schema(
        request=s.DefectCreateSerializer,
        responses={201: s.DefectSerializer},
        parameters=[ETAG_HEADER],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._valid(s.DefectCreateSerializer(data=request.data))
        institution = data.get("institution")
        if (
            institution is not None
            and institution.pk != actor(request).institution_id
            and not permissions.is_management(request.user)
        ):
            raise PermissionDenied(_("Bare forvaltningsteamet kan melde for en annen institusjon."))
        facts = {name: data.pop(name) for name in list(data) if name in services.FACT_NAMES}
        defect = services.defect_create(reporter=actor(request), facts=facts, **data)
        response = Response(s.DefectSerializer(defect).data, status=201)
        response["Location"] = f"{request.path}{defect.pk}/"
        return with_etag(response, defect)

    @extend_schema(
        request=s.DefectUpdateSerializer,
        responses={200: s.DefectSerializer},
        parameters=[if_match(required=True), ETAG_HEADER],
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._write(request, s.DefectUpdateSerializer, partial=True)

    @extend_schema(
        request=s.DefectReplaceSerializer,
        responses={200: s.DefectSerializer},
        parameters=[if_match(required=True), ETAG_HEADER],
        description="Erstatt alle beskrivende felter; felter bare forvaltningen setter er valgfrie.",
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._write(request, s.DefectReplaceSerializer, partial=False)

    def _write(
        self, request: Request, serializer_class: type[BaseSerializer[Any]], *, partial: bool
    ) -> Response:
        defect = self.get_object()
        data = self._valid(serializer_class(data=request.data, partial=partial))
        version = expected_version(request, defect, required=True)
        assert version is not None
        updated = services.defect_update(
            defect=defect, actor=actor(request), expected_version=version, data=data
        )
        return with_etag(Response(s.DefectSerializer(updated).data), updated)

    @extend_schema(
        request=s.TransitionSerializer,
        responses={200: s.DefectSerializer},
        parameters=[if_match(required=False), ETAG_HEADER],
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        defect = self.get_object()
        data = self._valid(s.TransitionSerializer(data=request.data))
        if data["to_status"] == DefectStatus.DUPLICATE:
            # Only a merge moves the people and the talk along; a bare status would strand them.
            raise ValidationError(
                {"to_status": [_("Bruk merge-handlingen for å gjøre en sak til duplikat.")]}
            )
        version = expected_version(request, defect, required=False)
        duplicate_of = None
        if data.get("duplicate_of"):
            duplicate_of = selectors.defect_detail(user=request.user, pk=data["duplicate_of"])
        updated = services.defect_transition(
            defect=defect,
            actor=actor(request),
            to_status=data["to_status"],
            expected_version=version,
            note=data.get("note", ""),
            duplicate_of=duplicate_of,
        )
        return with_etag(Response(s.DefectSerializer(updated).data), updated)

    @extend_schema(
        request=s.TierOverrideSerializer,
        responses={200: s.DefectSerializer},
        parameters=[if_match(required=False), ETAG_HEADER],
    )
    @action(detail=True, methods=["post"], url_path="tier-override")
    def tier_override(self, request: Request, pk: str) -> Response:
        defect = self.get_object()
        data = self._valid(s.TierOverrideSerializer(data=request.data))
        version = expected_version(request, defect, required=False)
        updated = services.defect_override_tier(
            defect=defect,
            actor=actor(request),
            tier=data["tier"],
            reason=data["reason"],
            expected_version=version,
        )
        return with_etag(Response(s.DefectSerializer(updated).data), updated)

    @extend_schema(
        request=s.MergeSerializer,
        responses={200: s.DefectSerializer},
        parameters=[if_match(required=False), ETAG_HEADER],
        description="Slå denne saken sammen med en annen (`into`); svaret er saken som beholdes.",
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        defect = self.get_object()
        if not permissions.can_merge(request.user):
            raise PermissionDenied
        data = self._valid(s.MergeSerializer(data=request.data))
        version = expected_version(request, defect, required=False)
        canonical = selectors.defect_detail(user=request.user, pk=data["into"])
        # The same merge as the triage page: one service, so the API is no back door.
        merged = services_triage.defect_merge(
            duplicate=defect,
            canonical=canonical,
            actor=actor(request),
            duplicate_version=defect.version if version is None else version,
            canonical_version=canonical.version,
        )
        return with_etag(Response(s.DefectSerializer(merged).data), merged)

    @extend_schema(request=None, responses={200: s.FlagSerializer})
    @action(detail=True, methods=["post", "delete"], url_path="affects-us")
    def affects_us(self, request: Request, pk: str) -> Response:
        defect = self.get_object()
        if request.method == "DELETE":
            services.affects_us_remove(defect=defect, user=actor(request))
            return Response({"active": False})
        services.affects_us_add(defect=defect, user=actor(request))
        return Response({"active": True})

    @extend_schema(request=None, responses={200: s.FlagSerializer})
    @action(detail=True, methods=["post", "delete"])
    def follow(self, request: Request, pk: str) -> Response:
        defect = self.get_object()
        active = services.follow_set(
            defect=defect, user=actor(request), follow=request.method != "DELETE"
        )
        return Response({"active": active})

    @staticmethod
    def _valid(serializer: BaseSerializer[Any]) -> dict[str, Any]:
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class DefectChildMixin(generics.GenericAPIView[Any]):
    """Views under /defects/{defect_pk}/: the defect is fetched through the permissions module."""

    def get_defect(self) -> Defect:
        return selectors.defect_detail(user=self.request.user, pk=self.kwargs["defect_pk"])


@extend_schema(tags=["defects"])
class DefectCommentList(DefectChildMixin, generics.ListCreateAPIView[Comment]):
    """Comments on a defect; internal ones only for the management team and the DFØ liaison."""

    serializer_class = s.CommentSerializer
    pagination_class = CreatedCursorPagination

    def get_queryset(self) -> QuerySet[Comment]:
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return selectors.defect_comments(user=self.request.user, defect=self.get_defect())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        defect = self.get_defect()
        serializer = s.CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_create(
            defect=defect,
            author=actor(request),
            body=serializer.validated_data["body"],
            internal=serializer.validated_data.get("internal", False),
        )
        return Response(s.CommentSerializer(comment).data, status=201)


@extend_schema(tags=["defects"])
class DefectAttachmentList(DefectChildMixin, generics.ListCreateAPIView[Attachment]):
    """Attachments: png, jpg, pdf, txt, csv, xlsx, docx up to 10 MB, type checked from content."""

    serializer_class = s.AttachmentSerializer
    pagination_class = CreatedCursorPagination
    parser_classes = [MultiPartParser]

    def get_queryset(self) -> QuerySet[Attachment]:
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        return self.get_defect().attachments.all()

    @extend_schema(request=s.AttachmentUploadSerializer, responses={201: s.AttachmentSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        defect = self.get_defect()
        serializer = s.AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services_api.attachment_create(
            defect=defect, actor=actor(request), file=serializer.validated_data["file"]
        )
        return Response(s.AttachmentSerializer(attachment).data, status=201)


@extend_schema(
    tags=["defects"],
    responses={
        (200, *sorted(set(ALLOWED.values()))): OpenApiResponse(
            OpenApiTypes.BINARY, description="Filen, alltid som nedlasting."
        )
    },
)
class DefectAttachmentDownload(DefectChildMixin):
    def get(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        attachment = selectors_reporting.visible_attachment_or_404(
            user=request.user, defect_pk=self.kwargs["defect_pk"], attachment_pk=self.kwargs["pk"]
        )
        return attachment_response(attachment)


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    pagination_class = None


@extend_schema(tags=["reference"])
class InstitutionViewSet(ReferenceViewSet):
    queryset = Institution.objects.all()
    serializer_class = s.InstitutionSerializer


@extend_schema(tags=["reference"])
class OrgUnitViewSet(ReferenceViewSet):
    queryset = OrgUnit.objects.all()
    serializer_class = s.OrgUnitSerializer


@extend_schema(tags=["reference"])
class AreaViewSet(ReferenceViewSet):
    queryset = Area.objects.all()
    serializer_class = s.AreaSerializer


@extend_schema(tags=["reference"])
class CategoryViewSet(ReferenceViewSet):
    queryset = Category.objects.all()
    serializer_class = s.CategorySerializer


@extend_schema(tags=["reference"])
class SystemViewSet(ReferenceViewSet):
    queryset = System.objects.all()
    serializer_class = s.SystemSerializer


class IsManagementForWrites(drf_permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in drf_permissions.SAFE_METHODS:
            return True
        return permissions.is_management(request.user)


class SeesEverything(drf_permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return permissions.sees_everything(request.user)


@extend_schema(tags=["releases"])
class ReleaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Release]):
    queryset = Release.objects.all()
    serializer_class = s.ReleaseSerializer
    pagination_class = None
    permission_classes = [drf_permissions.IsAuthenticated, IsManagementForWrites]

    def perform_create(self, serializer: BaseSerializer[Release]) -> None:
        serializer.instance = services.release_create(
            name=serializer.validated_data["name"],
            expected_date=serializer.validated_data.get("expected_date"),
            notes=serializer.validated_data.get("notes", ""),
        )


@extend_schema(tags=["meetings"])
class MeetingViewSet(viewsets.ReadOnlyModelViewSet[Meeting]):
    """Operations and escalation meetings with DFØ: for the management team and the liaison."""

    queryset = Meeting.objects.all()
    serializer_class = s.MeetingSerializer
    permission_classes = [drf_permissions.IsAuthenticated, SeesEverything]
    pagination_class = MeetingCursorPagination
