"""What an admin changed, as Wagtail audit log data a person can read.

`snapshot` turns a model instance into {field label: readable value}; `diff` keeps
what differs as {label: [old, new]}. `log_change` writes a Wagtail log entry
(`wagtail.log_actions.log`) with that diff in `data["changes"]`, which the formatters
registered in wagtail_hooks.py show in Reports → Site history and each object's history.
"""

from __future__ import annotations

import getpass
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from wagtail.log_actions import log

# Never copied into the log: a password hash or a key is a secret even when hashed.
SECRET_FIELDS = frozenset({"password", "secret", "key", "token", "content_key", "wrapped_key"})
HIDDEN = "••••••"


def _readable(instance: models.Model, field: models.Field) -> str:
    if field.many_to_many:
        if instance.pk is None:
            return ""
        return ", ".join(sorted(str(related) for related in getattr(instance, field.name).all()))
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    if field.is_relation:
        related = getattr(instance, field.name, None)
        return "" if related is None else str(related)
    value = getattr(instance, field.attname)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(field, models.DecimalField) and field.decimal_places is not None:
        # The form's 349000 and the database's 349000.00 are one price.
        return f"{Decimal(value):.{field.decimal_places}f}"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    # A browser posts a textarea's line breaks as CRLF: the same text, not a change.
    return str(value).replace("\r\n", "\n")


def _fields(model: type[models.Model], names: list[str] | None):
    """The fields named, or else every editable field a form could change."""
    if names is not None:
        return [model._meta.get_field(name) for name in names]
    return [
        field
        for field in model._meta.get_fields()
        if not field.auto_created
        and (getattr(field, "concrete", False) or field.many_to_many)
        and not field.primary_key
        and getattr(field, "editable", True)
    ]


def snapshot(instance: models.Model | None, fields: list[str] | None = None) -> dict[str, str]:
    """Readable values of an instance's editable fields (or `fields`), keyed by label."""
    if instance is None:
        return {}
    values = {}
    for field in _fields(type(instance), fields):
        value = _readable(instance, field)
        if field.name in SECRET_FIELDS and value:
            # The hash itself, so a change shows; replaced by a mask in `diff`.
            value = f"{HIDDEN}{hash(value)}"
        values[str(capfirst(field.verbose_name))] = value
    return values


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    """{label: [old, new]} for every value that differs; secrets show only as changed."""
    changes = {}
    for label in [*after, *(label for label in before if label not in after)]:
        old, new = before.get(label, ""), after.get(label, "")
        if old == new:
            continue
        if old.startswith(HIDDEN) or new.startswith(HIDDEN):
            old, new = (HIDDEN if old else ""), _("(changed)")
        changes[label] = [old, new]
    return changes


def stored_copy(instance: models.Model) -> models.Model | None:
    """The row as the database still holds it (the instance itself may carry unsaved edits)."""
    if instance.pk is None:
        return None
    return type(instance)._default_manager.filter(pk=instance.pk).first()


def log_change(
    instance: models.Model,
    action: str,
    *,
    user,
    before: dict[str, str] | None = None,
    fields: list[str] | None = None,
    **data,
):
    """Log `action` on `instance` by `user`, with what changed since `before` (a snapshot).

    Extra keyword arguments (a reason, a reference) go into the entry's data beside the diff.
    """
    if before is not None:
        data["changes"] = diff(before, snapshot(instance, fields))
    return log(instance=instance, action=action, user=user, data={k: v for k, v in data.items() if v})


def operator(command: str) -> str:
    """Who ran a management command, as far as the machine knows: "manage.py backup (deploy)"."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        return command
    return f"{command} ({name})"
