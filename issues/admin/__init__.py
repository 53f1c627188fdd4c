"""The Django admin, one module per feature; importing them registers every ModelAdmin."""

from issues.admin import (  # noqa: F401
    activity,
    audit,
    defects,
    digests,
    exports,
    imports,
    reference,
    releases,
    users,
)
