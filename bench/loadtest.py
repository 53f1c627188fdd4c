"""Load test: many logged-in users on the pages and API that matter, against a real server.

Two parts in one file:

* ``python -m bench.loadtest plan`` (Django set up, DATABASE_URL = the bench database) writes
  the plan: which users log in with which role, and which URLs each role requests. URLs are
  found by name or by walking the resolver, so the triage queue and the API are picked up as
  soon as they exist (``PAGE_NAMES``/``API_PREFIX`` below); defect ids are sampled from what
  each role may see.
* ``locust -f bench/loadtest.py`` (run by ``bench/loadtest.sh``) reads the plan from
  ``LOADTEST_PLAN`` and runs it: each simulated user logs in once, then requests its role's URLs
  in a random order, with THINK_MIN..THINK_MAX seconds between requests (default none).

The server runs as in production (DEBUG=false, secure cookies), on loopback over plain HTTP:
requests carry ``X-Forwarded-Proto: https`` as a TLS-terminating proxy would, and cookies are
kept by hand because a client does not send Secure cookies over http.
"""

import json
import os
import random
import re
import sys
from pathlib import Path
from typing import Any

PLAN_DEFAULT = Path(__file__).resolve().parent / "results" / "loadtest-plan.json"
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "bott-demo")
# Role -> (demo user names, weight in the user mix).
ROLES: dict[str, tuple[list[str], int]] = {
    "reporter": (
        [f"rekvirent{i}.{inst}" for i in range(1, 6) for inst in ("uio", "uib", "ntnu", "uit")],
        6,
    ),
    "management": ([f"forvaltning.{inst}" for inst in ("uio", "uib", "ntnu", "uit")], 3),
    "liaison": (["dfo.kontakt"], 1),
}
# Named pages to include when they resolve (other parts add them); first match per entry wins.
PAGE_NAMES: list[tuple[str, ...]] = [
    ("issues:home",),
    ("issues:triage_queue", "issues:triage", "issues:queue", "issues:triage_list"),
    ("issues:known_defects",),
    ("issues:my_defects",),
]
API_PREFIX = "api/"
POST_ONLY_ACTIONS = r"(transition|merge|follow|affects-us|tier-override)$"
# What each role is refused by design (403): not part of its plan.
MANAGEMENT_ONLY = ("issues:triage_queue",)
NOT_FOR_REPORTERS = ("/api/v1/meetings/",)
DEFECT_SAMPLE = 500


def _visible_sample(username: str) -> list[int]:
    """Defects every user of the role may see: a reporter's own confidential ones are left out,
    since the other reporters sharing the plan would get 404 for them."""
    from issues import permissions
    from issues.models import User

    user = User.objects.get(username=username)
    visible = permissions.visible_defects(user)
    if not permissions.sees_everything(user):
        visible = visible.filter(confidential=False)
    ids = visible.order_by("?").values_list("pk", flat=True)
    return list(ids[:DEFECT_SAMPLE])


def _api_urls(defect_id: int) -> tuple[list[str], list[str]]:
    """API list endpoints (no parameters) and defect-detail endpoints (one id parameter)."""
    from django.utils.regex_helper import normalize

    from tests.crawl import endpoints

    lists: list[str] = []
    details: list[str] = []
    for endpoint in endpoints():
        if not endpoint.regex.startswith(API_PREFIX) or "format" in endpoint.regex:
            continue
        if re.search(r"schema|docs|swagger|redoc", endpoint.regex + endpoint.name):
            continue
        if re.search(POST_ONLY_ACTIONS, endpoint.name or ""):
            continue  # actions answer POST/DELETE only; a GET would only measure a 405
        fmt, params = normalize(endpoint.regex)[0]
        if not params:
            lists.append("/" + fmt)
        elif len(params) == 1 and "defect" in (endpoint.name + endpoint.regex).lower():
            details.append("/" + fmt % {params[0]: "{id}"})
    return sorted(set(lists)), sorted(set(details))


def make_plan() -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bott_tracker.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.urls import NoReverseMatch, reverse

    pages: list[str] = []
    for names in PAGE_NAMES:
        for name in names:
            try:
                pages.append(reverse(name))
                break
            except NoReverseMatch:
                continue
    detail = reverse("issues:defect_detail", kwargs={"pk": 999999}).replace("999999", "{id}")
    api_lists, api_details = _api_urls(1)
    roles: dict[str, Any] = {}
    management_pages = set()
    for name in MANAGEMENT_ONLY:
        try:
            management_pages.add(reverse(name))
        except NoReverseMatch:
            continue
    for role, (usernames, weight) in ROLES.items():
        roles[role] = {
            "users": usernames,
            "weight": weight,
            "pages": [p for p in pages if role == "management" or p not in management_pages],
            "defect_pages": [detail, *api_details],
            "api": [u for u in api_lists if role != "reporter" or u not in NOT_FOR_REPORTERS],
            "defect_ids": _visible_sample(usernames[0]),
        }
    return {"roles": roles}


# --- Locust -----------------------------------------------------------------------------------
if "locust" in sys.modules or os.environ.get("LOADTEST_PLAN"):
    import time

    from locust import HttpUser, between, events, task

    # Page and API timings without the logins (which are password hashing, not the app under
    # load): written at the end for an exact steady-state p50/p95/p99 in the summary.
    _TIMINGS: list[tuple[float, float, bool]] = []

    @events.request.add_listener
    def _record(name: str, response_time: float, exception: Any, **_kwargs: Any) -> None:
        if not name.startswith("/login/"):
            _TIMINGS.append((time.time(), response_time, exception is not None))

    @events.quitting.add_listener
    def _dump(**_kwargs: Any) -> None:
        out = os.environ.get("LOADTEST_TIMINGS")
        if out:
            Path(out).write_text(json.dumps(_TIMINGS))

    PLAN = json.loads(Path(os.environ.get("LOADTEST_PLAN", PLAN_DEFAULT)).read_text())
    FORWARDED = {"X-Forwarded-Proto": "https"}

    def _cookie(response: Any, name: str) -> str:
        for header in response.raw.headers.getlist("Set-Cookie"):
            match = re.match(rf"{name}=([^;]*)", header)
            if match:
                return match.group(1)
        raise RuntimeError(f"no {name} cookie from {response.url}")

    # Think time between a user's requests (THINK_MIN/THINK_MAX seconds): 0 hammers the server,
    # 10-30 is a person reading a page (issue 17's 500-user run).
    THINK = (float(os.environ.get("THINK_MIN", "0")), float(os.environ.get("THINK_MAX", "0")))

    class _RoleUser(HttpUser):
        abstract = True
        role = ""
        wait_time = between(*THINK)

        def on_start(self) -> None:
            spec = PLAN["roles"][self.role]
            self.spec = spec
            username = random.choice(spec["users"])
            login = self.client.get("/login/", headers=FORWARDED, name="/login/ [GET]")
            csrf = _cookie(login, "csrftoken")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
            assert token, "no CSRF token on the login page"
            self.client.cookies.clear()
            response = self.client.post(
                "/login/",
                data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
                headers={
                    **FORWARDED,
                    "Cookie": f"csrftoken={csrf}",
                    "Referer": f"https://{(self.host or '').split('://')[-1]}/login/",
                },
                allow_redirects=False,
                name="/login/ [POST]",
            )
            if response.status_code != 302:
                raise RuntimeError(f"login as {username} failed: {response.status_code}")
            self.headers = {**FORWARDED, "Cookie": f"sessionid={_cookie(response, 'sessionid')}"}
            self.client.cookies.clear()

        def _get(self, url: str, name: str) -> None:
            with self.client.get(
                url, headers=self.headers, name=name, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")

        @task(3)
        def page(self) -> None:
            url = random.choice(self.spec["pages"])
            self._get(url, url)

        @task(4)
        def defect_page(self) -> None:
            template = random.choice(self.spec["defect_pages"])
            defect_id = random.choice(self.spec["defect_ids"])
            self._get(template.replace("{id}", str(defect_id)), template)

        @task(2)
        def api(self) -> None:
            if not self.spec["api"]:  # no API yet: keep the mix busy with pages instead
                self.page()
                return
            url = random.choice(self.spec["api"])
            self._get(url, url)

    class Reporter(_RoleUser):
        role = "reporter"
        weight = PLAN["roles"]["reporter"]["weight"]

    class Manager(_RoleUser):
        role = "management"
        weight = PLAN["roles"]["management"]["weight"]

    class Liaison(_RoleUser):
        role = "liaison"
        weight = PLAN["roles"]["liaison"]["weight"]


if __name__ == "__main__" and sys.argv[1:2] == ["plan"]:
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else PLAN_DEFAULT
    out.parent.mkdir(exist_ok=True)
    plan = make_plan()
    out.write_text(json.dumps(plan, indent=1) + "\n")
    for role, spec in plan["roles"].items():
        print(role, spec["pages"], spec["defect_pages"], spec["api"], len(spec["defect_ids"]))
