"""The reminder jobs' default schedules, as django-celery-beat rows.

Beat runs with the database scheduler, so the office's administrator edits
these in the admin ("Periodic tasks"); this migration only creates them when
missing (matched by name) and leaves edited rows alone. Times are Asia/Shanghai.
"""

from django.db import migrations
from django.utils import timezone

TIMEZONE = "Asia/Shanghai"

# name, task, minute, hour, day of month, description
SCHEDULES = [
    ("预警：阶段和时间节点提醒", "earlywarnings.tasks.remind_deadlines", "0", "8", "*",
     "阶段、时间节点到期前 7、3、1 天提醒责任人；逾期后提醒并向科室负责人和活动办公室督办（每 7 天一次）。"),
    ("预警：审核催办", "earlywarnings.tasks.remind_reviewers", "10", "8", "*",
     "待审核事项等待超过规定天数（默认 3 天）时提醒审核人和受托人。"),
    ("预警：防控措施到期提醒", "earlywarnings.tasks.remind_measures", "20", "8", "*",
     "防控措施完成时限前 7、3、1 天及逾期时提醒责任人。"),
    ("预警：预警处置到期提醒", "earlywarnings.tasks.remind_disposals", "30", "8", "*",
     "预警处置报告期限前 7、3、1 天及逾期时提醒报告人，逾期向责任人督办。"),
    ("预警：节前廉政提醒", "earlywarnings.tasks.remind_holidays", "40", "8", "*",
     "节假日前若干天（默认 2 天）向全体人员发送节前廉政提醒。"),
    ("预警：其他每日提醒（扩展）", "earlywarnings.tasks.run_extra_daily_jobs", "50", "8", "*",
     "其他模块登记的每日提醒，如公示期即将结束。"),
    ("预警：每月廉政风险提醒", "earlywarnings.tasks.monthly_risk_reminder", "0", "9", "1",
     "每月 1 日向每人发送本人风险点和防控措施的绿色提醒。"),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, minute, hour, day, description in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day,
            month_of_year="*",
            day_of_week="*",
            timezone=TIMEZONE,
        )
        PeriodicTask.objects.create(
            name=name, task=task, crontab=crontab, enabled=True, description=description
        )
    # Tell a running beat that the schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[row[0] for row in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("earlywarnings", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
