"""The hourly schedule of the publicity closing job, as a django-celery-beat
row (the database scheduler: the administrator may edit it in the admin).
Created only when missing (matched by name); an edited row is left alone."""

from django.db import migrations
from django.utils import timezone

NAME = "公示：期满自动结束"
TASK = "publicity.tasks.close_expired_windows"
TIMEZONE = "Asia/Shanghai"
DESCRIPTION = "每小时检查一次，公示期已满的公示自动结束，公示页面显示“公示已结束”并停止接收意见。"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="5",
        hour="*",
        day_of_month="*",
        month_of_year="*",
        day_of_week="*",
        timezone=TIMEZONE,
    )
    PeriodicTask.objects.create(name=NAME, task=TASK, crontab=crontab, enabled=True, description=DESCRIPTION)
    # Tell a running beat that the schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
