"""Let Wagtail's "Editors" and "Moderators" post snapshots and import figures.

Gives both groups the model permissions `figures.add_snapshot` (post a snapshot through the
API) and `figures.add_importrun` (upload an import, in the API and the admin). Creating a
series by hand (`figures.add_figureseries`) stays with superusers unless granted. Groups that
were removed stay removed. Safe to run again.
"""

from django.db import migrations

GROUPS = ["Editors", "Moderators"]
PERMISSIONS = [
    ("snapshot", "add_snapshot", "Can add snapshot"),
    ("importrun", "add_importrun", "Can add import run"),
]


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    found = []
    for model, codename, name in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label="figures", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        found.append(permission)
    return found


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("figures", "0002_series_meanings_thresholds_progress"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
