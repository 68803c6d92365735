"""Let Wagtail's "Editors" and "Moderators" keep the improvement register.

Both groups may add, change and view improvement items (a status change writes the history
either way); deleting an item, and with it its history, stays with Moderators. Groups that
were removed stay removed. Safe to run again.
"""

from django.db import migrations

GRANTS = {
    "Editors": ["add", "change", "view"],
    "Moderators": ["add", "change", "view", "delete"],
}
NAMES = {
    "add": "Can add improvement",
    "change": "Can change improvement",
    "view": "Can view improvement",
    "delete": "Can delete improvement",
}


def _permission(apps, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="improvements", model="improvementitem"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_improvementitem",
        defaults={"name": NAMES[action]},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.add(*[_permission(apps, action) for action in GRANTS[group.name]])


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*[_permission(apps, action) for action in GRANTS[group.name]])


class Migration(migrations.Migration):
    dependencies = [
        ("improvements", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
