"""Reads of personal API tokens: a user sees only their own."""

from django.db.models import QuerySet

from issues.models import ApiToken, User


def user_api_tokens(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
