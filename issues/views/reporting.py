from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from issues import permissions, selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    defects = selectors.known_defects(user=request.user, filters=None)
    page = Paginator(defects, 25).get_page(request.GET.get("page"))
    return render(request, "issues/home.html", {"page": page})


@login_required
def defect_detail(request: HttpRequest, pk: int) -> HttpResponse:
    defect = selectors.defect_detail(user=request.user, pk=pk)
    return render(
        request,
        "issues/defect_detail.html",
        {
            "defect": defect,
            "comments": selectors.defect_comments(user=request.user, defect=defect),
            "timeline": selectors.defect_timeline(defect=defect),
            "transitions": permissions.allowed_transitions(request.user, defect),
        },
    )
