"""A university's answer to a fix, from the defect page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from issues.forms.confirmations import CONFIRM, ConfirmationForm
from issues.selectors import defects as defects_selectors
from issues.selectors.confirmations import answerable, latest_round
from issues.services.confirmations import confirmation_confirm, confirmation_dispute
from issues.views.common import current_user
from issues.views.defects import detail_context
from issues.views.errors import domain_errors


@login_required
@require_POST
def confirmation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    defect = defects_selectors.defect_detail(user=request.user, pk=pk)
    user = current_user(request)
    row = answerable(user=user, rows=latest_round(user=user, defect=defect))
    if row is None:
        raise Http404
    form = ConfirmationForm(request.POST)
    if form.is_valid():
        with domain_errors(request, form=form):
            if form.cleaned_data["action"] == CONFIRM:
                confirmation_confirm(confirmation=row, actor=user)
                messages.success(
                    request, _("Takk! Rettingen er bekreftet for %s.") % row.institution
                )
            else:
                confirmation_dispute(confirmation=row, actor=user, note=form.cleaned_data["note"])
                messages.success(request, _("Rettingen er bestridt, og saken er åpnet igjen."))
            return redirect(f"{defect.get_absolute_url()}#bekreftelser")
    context = detail_context(request, defect, confirmation_form=form)
    return render(request, "issues/reporting/detail.html", context, status=400)
