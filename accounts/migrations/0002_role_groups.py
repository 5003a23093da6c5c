from django.db import migrations

# Frozen here on purpose: a migration must not change when roles.py does.
GROUPS = [
    "领导小组办公室",
    "领导小组办公室主任",
    "领导小组成员",
    "党委（党组）",
    "纪检组",
    "审计人员",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
