from django.db import migrations


def load(apps, schema_editor):
    from issues.reference_data import AREAS, GROUPS, INSTITUTIONS, ORG_UNITS, SYSTEMS

    Institution = apps.get_model("issues", "Institution")
    OrgUnit = apps.get_model("issues", "OrgUnit")
    Area = apps.get_model("issues", "Area")
    Category = apps.get_model("issues", "Category")
    System = apps.get_model("issues", "System")
    Group = apps.get_model("auth", "Group")

    for code, name in INSTITUTIONS:
        Institution.objects.get_or_create(code=code, defaults={"name": name})
    for inst_code, code, name, parent_code in ORG_UNITS:
        inst = Institution.objects.get(code=inst_code)
        parent = OrgUnit.objects.get(institution=inst, code=parent_code) if parent_code else None
        OrgUnit.objects.get_or_create(
            institution=inst, code=code, defaults={"name": name, "parent": parent}
        )
    for order, (code, nb, en, description, categories) in enumerate(AREAS):
        area, _ = Area.objects.get_or_create(
            code=code,
            defaults={"name_nb": nb, "name_en": en, "description": description, "order": order},
        )
        for c_order, (c_code, c_nb, c_en) in enumerate(categories):
            Category.objects.get_or_create(
                area=area,
                code=c_code,
                defaults={"name_nb": c_nb, "name_en": c_en, "order": c_order},
            )
    for order, (code, nb, en) in enumerate(SYSTEMS):
        System.objects.get_or_create(
            code=code, defaults={"name_nb": nb, "name_en": en, "order": order}
        )
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
