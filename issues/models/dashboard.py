"""The dashboard's maintained aggregates of the defects (issue 17, "growth to 1,000,000").

Written only by PostgreSQL triggers on ``issues_defect`` (migration 0014; 0016 also on
``issues_affectsus``) and rebuilt in one
statement after a bulk load (``issues.demo.seed``); never by Django code. Django models rather
than raw tables so that the test runner's flush empties them along with the defects and the
selector reads them through the ORM. Empty on SQLite, where the dashboard counts directly.

Two tables, not one keyed by area, tier *and* date: with the date in the key the aggregate had
82,381 rows for 100,000 defects (a row per combination that occurs on a day) and would grow
almost with the defects. Counts and hours need no date (at most confidential × status × area ×
tier rows); the age chart needs the date but neither area nor tier, and only its last year.
"""

from django.db import models


class DashboardCount(models.Model):
    """How many defects share (confidential, status, area, tier), and the sum of their
    workaround hours per week (a missing value counts as 0)."""

    confidential = models.BooleanField()
    status = models.CharField(max_length=20)
    # No foreign-key constraint: the trigger writes here on every counted defect change, and a
    # key check on issues_area per write buys nothing (a defect's own area is checked).
    area = models.ForeignKey(
        "issues.Area",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    tier = models.PositiveSmallIntegerField()
    n = models.PositiveIntegerField()
    # 10^10 hours: 10^7 defects at the 168-hour maximum still fit.
    hours = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["confidential", "status", "area", "tier"], name="dashboardcount_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.status}/{self.area_id}/{self.tier}: {self.n}"


class DashboardAge(models.Model):
    """How many defects share (confidential, status, reported-on local date)."""

    # The local calendar date (settings.TIME_ZONE) of created_at: ages are counted in days.
    # First in the key: the dashboard reads only the last year's dates.
    created_on = models.DateField()
    confidential = models.BooleanField()
    status = models.CharField(max_length=20)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["created_on", "confidential", "status"], name="dashboardage_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_on}/{self.status}: {self.n}"


class DashboardClosed(models.Model):
    """How many defects share (closed-on local date, confidential): the "closed" half of the
    per-week chart (migration 0016). The "opened" half is DashboardAge, summed over status."""

    # The local calendar date (settings.TIME_ZONE) of closed_at; a defect without one is in no
    # row. First in the key: the dashboard reads only the last twelve weeks.
    closed_on = models.DateField()
    confidential = models.BooleanField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["closed_on", "confidential"], name="dashboardclosed_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.closed_on}: {self.n}"


class DashboardAffects(models.Model):
    """How many "affects us too" records an institution has on (non-)confidential defects
    (migration 0016): the confidential flag is the defect's, which decides who sees the record.
    ``owner`` is the reporter of a confidential defect (0 otherwise, migration 0019), so that a
    reporter reads the records on their own confidential defects here too: a few rows per
    reporter with confidential defects, instead of a join over every one of those defects."""

    # No foreign-key constraint, as DashboardCount.area: the trigger writes here per record.
    institution = models.ForeignKey(
        "issues.Institution",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    confidential = models.BooleanField()
    # A user's id without a foreign key: the trigger writes it, and 0 is "nobody".
    owner = models.BigIntegerField(db_default=0)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "confidential", "owner"], name="dashboardaffects_owner_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}/{self.confidential}/{self.owner}: {self.n}"
