"""Backups made and restored from the command line are in the audit log too, with the
command and the machine account that ran it (there is no admin user to name)."""

from io import StringIO

from django.core.management import call_command

from wagtail.log_actions import registry as log_registry

import pytest

from operations.backups import run_backup
from operations.models import BackupRecord
from tests.operations.conftest import backup_dir, media_roots  # noqa: F401
from tests.operations.test_restore import drill_database  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_backup_made_by_the_command_is_logged(backup_dir, media_roots):  # noqa: F811
    call_command("backup", "--no-progress", stdout=StringIO())
    record = BackupRecord.objects.get()
    (logged,) = log_registry.get_logs_for_instance(record).filter(action="operations.backup.create")
    assert logged.user is None
    assert logged.data["via"].startswith("manage.py backup")
    assert "Made a backup" in logged.message and "via manage.py backup" in logged.message


def test_a_restore_is_the_first_thing_the_restored_database_remembers(
    drill_database,  # noqa: F811
    backup_dir,  # noqa: F811
    media_roots,  # noqa: F811
):
    record = run_backup()
    call_command("restore_backup", str(record.pk), "--yes", "--no-progress", stdout=StringIO())
    restored = BackupRecord.objects.get(pk=record.pk)
    (logged,) = log_registry.get_logs_for_instance(restored).filter(action="operations.backup.restore")
    assert logged.data["via"].startswith("manage.py restore_backup")
    assert "Restored this backup" in logged.message
