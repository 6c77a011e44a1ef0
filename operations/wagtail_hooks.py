from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from memberships.admin_policies import ReadOnlyPermissionPolicy

from .admin_views import BackupViewSet, IncidentViewSet, SystemSampleViewSet
from .models import BackupRecord, Incident, SystemSample

for _model in (BackupRecord, SystemSample, Incident):
    register_permission_policy(_model, ReadOnlyPermissionPolicy(_model))


class OperationsGroup(ViewSetGroup):
    menu_label = "Operations"
    menu_icon = "cogs"
    menu_order = 900
    items = (
        BackupViewSet("operations_backups", url_prefix="operations/backups"),
        SystemSampleViewSet("operations_samples", url_prefix="operations/samples"),
        IncidentViewSet("operations_incidents", url_prefix="operations/incidents"),
    )


@hooks.register("register_admin_viewset")
def register_operations_admin():
    return OperationsGroup()
