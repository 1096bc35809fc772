from django.conf import settings
from django.db import models


class Entry(models.Model):
    """One member as some audiences see them: the search index row.

    Holds only values visible to every audience flagged on the row; a member whose profile looks the
    same to alumni, employees and HR has one row, otherwise one per distinct view. `text` is the
    normalised visible text (one value per line); `facets` the filterable ids ("dep12 skl4 purmentor").
    The n-gram index over both lives beside this table (SQLite FTS5 or a PostgreSQL GIN index, see
    index.py), keyed by this row's id.
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    for_alumni = models.BooleanField(default=False)
    for_employees = models.BooleanField(default=False)
    for_admins = models.BooleanField(default=False)
    member_type = models.CharField(max_length=10)
    sort_key = models.CharField(max_length=150)
    activated_at = models.DateTimeField(null=True)
    joined_year = models.PositiveSmallIntegerField(null=True)
    left_year = models.PositiveSmallIntegerField(null=True)
    industry = models.CharField(max_length=40, blank=True)
    location = models.CharField(max_length=10, blank=True)
    text = models.TextField()
    facets = models.TextField(blank=True)
    # NetworkSettings.profile_rules_version when built: searches skip entries built under older rules.
    generation = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["sort_key", "member"], name="directory_reading"),
            models.Index(fields=["-activated_at", "-member"], name="directory_newest"),
            models.Index(fields=["left_year", "member"], name="directory_left"),
            models.Index(fields=["joined_year"], name="directory_joined"),
            models.Index(fields=["industry"], name="directory_industry"),
            models.Index(fields=["location"], name="directory_location"),
            # Counting what an audience may see (the directory without a search) reads only this index.
            models.Index(fields=["generation", "for_alumni", "for_employees", "for_admins", "member"],
                         name="directory_audience"),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.text[:40]}"
