from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import migrations, models


def mark_scheduled_sessions(apps, schema_editor):
    """Give each session that sits on its club's schedule its week.

    A session at the club's weekday and local start time is that week's
    scheduled meeting (the oldest one if a week has two, as the old schedule
    change could leave); anything else (one-offs, sessions moved by hand or
    kept at an old time) stays out of the series and keeps its time.
    """
    Club = apps.get_model("clubs", "Club")
    Session = apps.get_model("clubs", "Session")
    for club in Club.objects.all():
        zone = ZoneInfo(club.time_zone)
        taken = set()
        for session in Session.objects.filter(club=club).order_by("id"):
            local = session.starts_at.astimezone(zone)
            if local.weekday() != club.weekday or local.time() != club.start_time:
                continue
            week = local.date() - timedelta(days=local.weekday())
            if week in taken:
                continue
            taken.add(week)
            session.series_week = week
            session.save(update_fields=["series_week"])


class Migration(migrations.Migration):
    dependencies = [
        ("clubs", "0004_cohost_invitation"),
        ("exercises", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="moved_by_hand",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="session",
            name="series_week",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(mark_scheduled_sessions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="session",
            constraint=models.UniqueConstraint(
                condition=models.Q(("series_week__isnull", False)),
                fields=("club", "series_week"),
                name="one_scheduled_session_per_club_week",
            ),
        ),
    ]
