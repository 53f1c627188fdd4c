"""Release pages: each DFØ release from promise to confirmed at every university."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from issues.selectors.releases import release_detail as release_detail_selector
from issues.selectors.releases import release_rows


@login_required
@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    return render(request, "issues/releases/list.html", {"rows": release_rows(user=request.user)})


@login_required
@require_GET
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = release_detail_selector(user=request.user, pk=pk)
    return render(request, "issues/releases/detail.html", {"detail": detail})
