"""Attachment upload on the defect page and the one way a stored file leaves the app."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from issues.forms.reporting import AttachmentForm
from issues.models import Attachment
from issues.selectors.attachments import visible_attachment_or_404
from issues.selectors.defects import defect_detail
from issues.services.attachments import attachment_add
from issues.views.common import current_user
from issues.views.defects import detail_context


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    defect = defect_detail(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        attachment_add(defect=defect, actor=current_user(request), upload=form.cleaned_data["file"])
        messages.success(request, _("Vedlegget er lagt til."))
        return redirect(f"{defect.get_absolute_url()}#vedlegg")
    context = detail_context(request, defect, attachment_form=form)
    return render(request, "issues/reporting/detail.html", context, status=400)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = visible_attachment_or_404(
        user=request.user, defect_pk=pk, attachment_pk=attachment_pk
    )
    return attachment_response(attachment)


def attachment_response(attachment: Attachment) -> FileResponse:
    """The one way a stored file leaves the app (web and API): always a download, never
    rendered, and inert even if a browser tried. Precondition: the caller checked permission."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser did render it, the file could run nothing and reach nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
