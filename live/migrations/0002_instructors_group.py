"""The Instructors group: into the Wagtail admin, and add/change/view of live sessions
(the admin then scopes them to the courses each instructor teaches). Editors get the
same rights; as content staff they see every course's sessions."""

from django.db import migrations

SESSION_PERMISSIONS = {
    "livesession": ["add", "change", "view"],
    "attendance": ["view"],
}
GROUPS = ["Instructors", "Editors"]


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    # Model permissions are made by post_migrate, after every migration: make them now.
    for model, actions in SESSION_PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="live", model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            permissions.append(permission)
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    return permissions, access_admin


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions, access_admin = _permissions(apps)
    instructors, _ = Group.objects.get_or_create(name="Instructors")
    instructors.permissions.add(access_admin, *permissions)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    live = Permission.objects.filter(content_type__app_label="live")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*live)


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_live_sessions_attendance_reminders"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
