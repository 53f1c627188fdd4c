import pytest

from issues.models import User
from tests.factories import make_user


@pytest.fixture
def reporter(db: None) -> User:
    return make_user("reporter", institution="UiO")


@pytest.fixture
def other_reporter(db: None) -> User:
    return make_user("reporter", institution="UiB")


@pytest.fixture
def manager(db: None) -> User:
    return make_user("management", institution="NTNU")


@pytest.fixture
def liaison(db: None) -> User:
    return make_user("liaison", institution="UiO")
