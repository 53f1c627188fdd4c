from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from issues import permissions
from issues.api.serializers.common import StrictSerializerMixin
from issues.models import Defect, Institution, Routine, User
from issues.models.routines import BODY_MAX_LENGTH, TITLE_MAX_LENGTH


class RoutineSerializer(StrictSerializerMixin, serializers.ModelSerializer[Routine]):
    """A routine; ``defects`` lists only the linked defects the caller may see."""

    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    body = serializers.CharField(max_length=BODY_MAX_LENGTH)
    institution: serializers.PrimaryKeyRelatedField[Institution] = (
        serializers.PrimaryKeyRelatedField(
            queryset=Institution.objects.all(), required=False, allow_null=True
        )
    )
    owner: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False
    )
    defects = serializers.SerializerMethodField()

    class Meta:
        model = Routine
        fields = [
            "id",
            "title",
            "body",
            "institution",
            "owner",
            "defects",
            "needs_review",
            "review_reason",
            "reviewed_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "defects",
            "needs_review",
            "review_reason",
            "reviewed_at",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_defects(self, routine: Routine) -> list[int]:
        visible: Any = self.context.get("visible_defect_ids")
        ids = [d.pk for d in routine.defects.all()]
        return [i for i in ids if visible is None or i in visible]


class RoutineLinkSerializer(StrictSerializerMixin, serializers.Serializer[Any]):
    """The defect to link or unlink; one the caller may not see is as unknown as a missing one."""

    defect = serializers.IntegerField(min_value=1, max_value=2**31 - 1)

    def validate_defect(self, value: int) -> Defect:
        user = self.context["request"].user
        found = permissions.visible_defects(user).filter(pk=value).first()
        if found is None:
            raise serializers.ValidationError(_("Finner ikke saken: %(keys)s") % {"keys": value})
        return found
