"""The data migration's beat schedules: present, in Shanghai time, and each
naming a task Celery knows."""

from django_celery_beat.models import PeriodicTask

from config.celery import app

EXPECTED = {
    "earlywarnings.tasks.remind_deadlines": ("0", "8", "*"),
    "earlywarnings.tasks.remind_reviewers": ("10", "8", "*"),
    "earlywarnings.tasks.remind_measures": ("20", "8", "*"),
    "earlywarnings.tasks.remind_disposals": ("30", "8", "*"),
    "earlywarnings.tasks.remind_holidays": ("40", "8", "*"),
    "earlywarnings.tasks.run_extra_daily_jobs": ("50", "8", "*"),
    "earlywarnings.tasks.monthly_risk_reminder": ("0", "9", "1"),
}


def test_default_schedules_exist(db):
    import earlywarnings.tasks  # noqa: F401 — registers the tasks

    tasks = {
        task.task: task
        for task in PeriodicTask.objects.filter(task__startswith="earlywarnings.").select_related(
            "crontab"
        )
    }
    assert set(tasks) == set(EXPECTED)
    for name, (minute, hour, day) in EXPECTED.items():
        task = tasks[name]
        assert task.enabled
        assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == (
            minute,
            hour,
            day,
        )
        assert str(task.crontab.timezone) == "Asia/Shanghai"
        assert name in app.tasks
