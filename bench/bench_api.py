"""GET /api/v1/defects/ with two filters at 100,000 defects, through a personal token.

Run: DATABASE_URL=postgres://.../<copy of bott_bench> python -m bench.bench_api
Creates (once) a token for one management user and one reporter in that database.
"""

from functools import partial

from bench.harness import measure, setup_django, write_results

FILTERS = "status=triaged&status=reported_to_dfo&area={area}"
SEARCH = "q=faktura&tier=1"


def main() -> None:
    setup_django()
    from rest_framework.test import APIClient

    from issues import permissions
    from issues.models import Area, Defect, User
    from issues.services.api_tokens import api_token_create

    rows = []
    area = Area.objects.get(code="BTB").pk
    users = {
        "management": User.objects.filter(groups__name=permissions.GROUP_MANAGEMENT).first(),
        "reporter": User.objects.filter(groups__name=permissions.GROUP_REPORTER).first(),
    }
    for role, user in users.items():
        assert user is not None, f"no {role} user in the bench database"
        raw = api_token_create(user=user, name="bench")[1]
        client = APIClient(SERVER_NAME="127.0.0.1")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        for page_size in (10, 25, 100):
            url = f"/api/v1/defects/?{FILTERS.format(area=area)}&page_size={page_size}"
            rows.append(
                measure(
                    f"{role}: two filters, page_size={page_size}",
                    partial(client.get, url),
                    requests=50,
                )
            )
        url = f"/api/v1/defects/?{SEARCH}"
        rows.append(measure(f"{role}: full text + tier", partial(client.get, url)))
        # The second page follows the cursor, as a script walking the list would.
        first = client.get(f"/api/v1/defects/?{FILTERS.format(area=area)}").json()
        next_url = first["next"]
        rows.append(
            measure(f"{role}: two filters, next page (cursor)", partial(client.get, next_url))
        )
    bad = [r.name for r in rows if r.status != 200]
    assert not bad, f"non-200 answers: {bad}"
    write_results("bench_api", rows, extra={"defects": Defect.objects.count()})


if __name__ == "__main__":
    main()
