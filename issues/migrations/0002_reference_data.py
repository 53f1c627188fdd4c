"""Reference data: institutions, units, areas with categories, systems, role groups."""

from django.db import migrations


def load(apps, schema_editor):
    from issues.reference_data import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
