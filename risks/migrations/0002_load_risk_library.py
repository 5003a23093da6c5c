from django.db import migrations


def load_library(apps, schema_editor):
    from risks import library

    library.load(apps.get_model("risks", "LibraryEntry"))


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(load_library, migrations.RunPython.noop)]
