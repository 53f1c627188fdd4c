"""Fuzz the live API from its own OpenAPI schema with every schemathesis check, per role."""

import re
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok

from issues.api.schema import ETAG_LIST_PATTERN
from issues.models import Defect, Routine
from issues.services.api_tokens import api_token_create
from tests.factories import make_defect, make_user

ROLES = {"reporter": ("reporter", "UiO"), "management": ("management", "NTNU")}
EXAMPLES_PER_OPERATION = 12


def _fuzz_operation(
    operation: Any, mode: GenerationMode, defect: Defect, answers: Counter[tuple[str, int]]
) -> str | None:
    fixed = {name: defect.pk for name in ("id", "defect_pk") if f"{{{name}}}" in operation.path}
    # Routines carry an ETag of their own; the fuzzer's POSTs may have made one with that id.
    versioned: type[Defect | Routine] = (
        Routine if operation.path.startswith("/api/v1/routines/") else Defect
    )
    # Every defect path points at a defect this user may see, so requests get past the 404.
    strategy = operation.as_strategy(
        generation_mode=mode, path_parameters=fixed or None, auth_storage=operation.schema.auth
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        sent = (case.headers or {}).get("If-Match")
        if isinstance(sent, str) and re.fullmatch(ETAG_LIST_PATTERN, sent):
            # A well-formed generated ETag is stale by definition; send the current one so the
            # write is tried. Malformed ones (negative cases) are sent as generated.
            current = versioned.objects.filter(pk=defect.pk).first()
            if current is not None:
                case.headers["If-Match"] = f'"{current.pk}-{current.version}"'
        response = case.call_and_validate()
        answers[(case.method.upper(), response.status_code // 100)] += 1

    try:
        run()
    except Unsatisfiable:
        # Nothing in this operation can be made schema-invalid (e.g. a list without parameters).
        assert mode == GenerationMode.NEGATIVE
    except (Exception, BaseExceptionGroup) as exc:  # every failing operation is reported
        return f"{mode.value} {operation.label}: {str(exc)[:1500]}"
    return None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", sorted(ROLES))
def test_api_conforms_to_its_schema(
    role: str, live_server: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    # The fuzzer sends a few thousand requests a minute; the throttle has its own test.
    settings.API_TOKEN_THROTTLE_RATE = "100000/min"
    group, institution = ROLES[role]
    user = make_user(group, institution=institution)
    own = make_defect(user, title="Faktura stopper i godkjenning")
    make_defect(make_user("reporter", institution="UiB"), title="Lønn mangler", confidential=True)
    token = api_token_create(user=user, name="schemathesis")[1]
    config = SchemathesisConfig.from_dict(
        {
            "base-url": live_server.url,
            "checks": {
                # A schema cannot say which ids exist or which transitions the workflow allows:
                # schema-valid data can still be refused with 400 (no such id) by the domain.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
                },
            },
        }
    )
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/", config=config)

    @schema.auth()
    class TokenAuth:
        """The user's token as configured auth, so the ignored_auth check probes without it."""

        def get(self, case: Any, ctx: Any) -> str:
            return token

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    failures = []
    answers: Counter[tuple[str, int]] = Counter()
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _fuzz_operation(operation, mode, own, answers)
            if failure:
                failures.append(failure)
    assert failures == [], "\n\n".join(failures)
    # Not a vacuous run: writes got through, not only refusals.
    assert answers[("PATCH", 2)], answers
    assert answers[("POST", 2)], answers
    assert answers[("GET", 2)], answers
