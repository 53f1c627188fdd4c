"""The dashboard: open to every signed-in user, counting only what they may see."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from issues import page_cache
from issues.selectors import dashboard as dashboard_selectors
from issues.vocabulary import TIER_CHOICES


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    data = page_cache.cached(
        "dashboard", user, (), lambda: dashboard_selectors.dashboard(user=user)
    )
    # Chart legends come from here so they follow the user's language like the tables do.
    chart_data = {
        **data,
        "labels": {
            "tier": [str(label) for _tier, label in TIER_CHOICES],
            "opened": str(_("Meldt")),
            "closed": str(_("Lukket")),
            "open": str(_("Åpne saker")),
            "hours": str(_("Timer per uke")),
            "affects": str(_("Gjelder oss også")),
        },
    }
    return render(request, "issues/triage/dashboard.html", {"data": chart_data})
