"""Give Wagtail's Editors and Moderators groups the right to open all gated content,
so the people who author courses can read what they write. Instructors are not in
these groups by default; they open only the courses they teach."""

from django.db import migrations

GROUPS = ["Editors", "Moderators"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="memberships", model="tier")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="open_all_content",
        defaults={"name": "Can open all gated content (editors, moderators)"},
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="memberships", codename="open_all_content").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("memberships", "0002_subscriptions_devices"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
