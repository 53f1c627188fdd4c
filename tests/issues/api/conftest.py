from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from issues.models import User
from issues.services.api_tokens import api_token_create


@pytest.fixture
def token_for() -> Callable[[User], str]:
    def make(user: User) -> str:
        return api_token_create(user=user, name="test")[1]

    return make


@pytest.fixture
def api_client_for(token_for: Callable[[User], str]) -> Callable[[User | None], APIClient]:
    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
        return client

    return make
