"""The one upload check, shared by the browser form and the API.

The rules live in ``services_reporting.check_upload`` (type from the content, allow-list, size,
no markup, no macro-enabled Office files); this module is the API's view of them.
"""

from django.core.files.uploadedfile import UploadedFile

from .services_reporting import ALLOWED_TYPES, EXTENSION_ALIASES, check_upload

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Detected content type per allowed file-name extension (aliases included).
ALLOWED: dict[str, str] = {
    **ALLOWED_TYPES,
    **{alias: ALLOWED_TYPES[target] for alias, target in EXTENSION_ALIASES.items()},
}


def validate_upload(file: UploadedFile) -> tuple[str, str]:
    """Content type and SHA-256 of an acceptable file; raises ValidationError otherwise."""
    checked = check_upload(file)
    return checked.content_type, checked.sha256
