"""Give every group the same rights on our document model that it has on Wagtail's
default one (Editors and Moderators add, change and choose documents), so swapping the
model does not take document uploads away from editors."""

from django.db import migrations

# Wagtail's codename -> ours (Django names model permissions after the model).
CODENAMES = {
    "add_document": ("add_lecterndocument", "Can add document"),
    "change_document": ("change_lecterndocument", "Can change document"),
    "delete_document": ("delete_lecterndocument", "Can delete document"),
    "choose_document": ("choose_document", "Can choose document"),
}


def copy_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ours, _ = ContentType.objects.get_or_create(app_label="documents", model="lecterndocument")
    grants = GroupCollectionPermission.objects.filter(
        permission__content_type__app_label="wagtaildocs",
        permission__content_type__model="document",
        permission__codename__in=CODENAMES,
    ).select_related("permission")
    for grant in grants:
        codename, name = CODENAMES[grant.permission.codename]
        permission, _ = Permission.objects.get_or_create(
            content_type=ours, codename=codename, defaults={"name": name}
        )
        GroupCollectionPermission.objects.get_or_create(
            group_id=grant.group_id, collection_id=grant.collection_id, permission=permission
        )


def remove_permissions(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(
        permission__content_type__app_label="documents",
        permission__content_type__model="lecterndocument",
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_permissions, remove_permissions)]
