"""The privacy registry: what personal data each app keeps, why, how long, and how it is
exported and erased.

Each app declares its own data in `<app>/privacy.py` by calling `declare(...)` at import
time; `PrivacyConfig.ready` imports every app's `privacy` module, the way Django finds
`admin` modules. Export (`privacy.exporting`), erasure (`privacy.erasure`), the admin's
"What we keep and why" page and the public privacy page all read this one list, and
`undeclared_models()` names every model that looks personal but has no declaration, so
a new feature cannot forget privacy (tests/privacy/test_registry.py fails on it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

# (name inside the zip, bytes) for files an export carries beside its JSON and CSV.
ExportFile = tuple[str, bytes]

# A field name that holds an email, a person's name or a network address. Plain `name`
# is left out on purpose: it names things (tiers, categories, groups), not people.
PERSONAL_FIELD_NAME = re.compile(
    r"(email|(^|_)ip($|_)|(^|_)username$|ip_address|client_address|remote_addr|user_agent|phone"
    r"|(^|_)(full|first|last|learner|holder|buyer|author|sender|recipient|customer|payer|user)_?name$)",
    re.IGNORECASE,
)

# Export areas, in the order the zip's index lists them (the JSON schema names the same).
AREAS = {
    "profile": "Profile",
    "logins": "Sign-ins, lockouts and devices",
    "subscriptions": "Subscriptions",
    "orders": "Orders and payments",
    "learning": "Enrolments and lesson progress",
    "quizzes": "Quiz attempts and answers",
    "certificates": "Certificates",
    "live": "Live-session attendance",
    "ebooks": "Ebook downloads",
    "playback": "Video playback and key access",
    "notifications": "Notifications and emails sent",
    "analytics": "Analytics events",
    "consent": "Consent and preferences",
    "api": "API tokens and requests",
    "content": "Content you created or edited",
}


@dataclass(frozen=True)
class ErasureContext:
    """What every erase function receives: the account going, and the pseudonym that
    replaces it where a record must stay (orders, payments)."""

    user: Any
    pseudonym: str
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonalData:
    """One model's personal data. `export(user)` returns rows (dicts of plain values);
    `erase(context)` removes or replaces them; `files(user)` adds files to the export.
    A model that looks personal but holds nobody's data (a book's author credit) is
    declared with `personal=False` and says why in `purpose`."""

    model: str
    fields: tuple[str, ...]
    purpose: str
    retention: str
    area: str = "profile"
    export: Callable[[Any], list[dict]] | None = None
    erase: Callable[[ErasureContext], Any] | None = None
    files: Callable[[Any], Iterable[ExportFile]] | None = None
    on_erasure: str = ""
    personal: bool = True
    app_label: str = field(default="", compare=False)

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def verbose_name(self) -> str:
        return str(self.model_class._meta.verbose_name_plural)


_registry: dict[str, PersonalData] = {}


def declare(
    model: str,
    *,
    fields: Iterable[str],
    purpose: str,
    retention: str,
    area: str = "profile",
    export: Callable[[Any], list[dict]] | None = None,
    erase: Callable[[ErasureContext], Any] | None = None,
    files: Callable[[Any], Iterable[ExportFile]] | None = None,
    on_erasure: str = "",
    personal: bool = True,
) -> PersonalData:
    """Declare one model's personal data (called from an app's `privacy.py`)."""
    if area not in AREAS:
        raise ValueError(f"Unknown export area {area!r} for {model}")
    label = apps.get_model(model)._meta.label
    if label in _registry:
        raise ValueError(f"{label} is declared twice")
    declaration = PersonalData(
        model=label,
        fields=tuple(fields),
        purpose=purpose,
        retention=retention,
        area=area,
        export=export,
        erase=erase,
        files=files,
        on_erasure=on_erasure,
        personal=personal,
        app_label=apps.get_model(model)._meta.app_label,
    )
    _registry[label] = declaration
    return declaration


def declarations() -> list[PersonalData]:
    """Every declaration, the account itself last (erasure deletes it after the rest)."""
    user_label = apps.get_model(settings.AUTH_USER_MODEL)._meta.label
    return sorted(_registry.values(), key=lambda item: (item.model == user_label, item.app_label, item.model))


def declaration_for(model: type[models.Model] | str) -> PersonalData | None:
    label = model if isinstance(model, str) else model._meta.label
    return _registry.get(label)


def personal_fields(model: type[models.Model]) -> list[str]:
    """The fields of `model` that link to an account or look like an email, a person's
    name or a network address."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = []
    for model_field in model._meta.get_fields():
        if model_field.auto_created and not model_field.concrete:
            continue  # reverse relations are declared on the model that holds them
        if getattr(model_field, "model", model) is not model:
            continue  # inherited from a parent table (a page's owner): declared on the parent
        if model_field.is_relation and model_field.related_model is user_model:
            found.append(model_field.name)
        elif isinstance(model_field, models.EmailField | models.GenericIPAddressField):
            found.append(model_field.name)
        elif isinstance(model_field, models.CharField | models.TextField) and PERSONAL_FIELD_NAME.search(
            model_field.name
        ):
            found.append(model_field.name)
    return found


def undeclared_models() -> dict[str, list[str]]:
    """{model label: its personal-looking fields} for every installed model, ours and
    third-party, that has such fields (or is the user model) but no declaration."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    missing = {}
    for model in apps.get_models():
        fields = personal_fields(model)
        if (fields or model is user_model) and model._meta.label not in _registry:
            missing[model._meta.label] = fields
    return missing


def undeclared_fields() -> dict[str, list[str]]:
    """{model label: fields} that look personal but a declaration does not list."""
    missing = {}
    for declaration in _registry.values():
        extra = [name for name in personal_fields(declaration.model_class) if name not in declaration.fields]
        if extra:
            missing[declaration.model] = extra
    return missing


def rows(queryset, *names: str) -> list[dict]:
    """Plain rows for an export: dates as ISO strings, everything JSON can hold."""
    return [{name: _plain(value) for name, value in row.items()} for row in queryset.values(*names)]


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def owned_rows(model: str, *names: str, owner: str = "user") -> Callable[[Any], list[dict]]:
    """An export function: the rows of `model` whose `owner` is the user (all columns
    unless `names` are given)."""

    def export(user) -> list[dict]:
        return rows(apps.get_model(model)._default_manager.filter(**{owner: user}).order_by("pk"), *names)

    return export


def delete_owned(model: str, owner: str = "user") -> Callable[[ErasureContext], Any]:
    """An erase function: delete the rows of `model` whose `owner` is the user."""

    def erase(context: ErasureContext):
        return apps.get_model(model)._default_manager.filter(**{owner: context.user}).delete()

    return erase


def detach(model: str, owner: str = "user", **replacements) -> Callable[[ErasureContext], Any]:
    """An erase function for rows that must stay (counts, logs): drop the link to the
    account and blank the fields given (`ip_address=None`, `user_agent=""`)."""

    def erase(context: ErasureContext):
        return (
            apps.get_model(model)
            ._default_manager.filter(**{owner: context.user})
            .update(**{owner: None, **replacements})
        )

    return erase


def replace_text(queryset, fields: Iterable[str], needles: Iterable[str], replacement: str) -> int:
    """Replace every case-insensitive occurrence of `needles` (an email, a name) in the
    text or JSON `fields` of the rows of `queryset` that contain one; returns rows changed.
    For records that must stay but mention the person (audit entries about their account)."""
    needles = [needle for needle in needles if needle and len(needle) >= 3]
    if not needles:
        return 0
    fields = list(fields)
    matching = models.Q()
    for name in fields:
        for needle in needles:
            matching |= models.Q(**{f"{name}__icontains": needle})
    pattern = re.compile(
        "|".join(re.escape(needle) for needle in sorted(needles, key=len, reverse=True)), re.I
    )
    changed = 0
    for row in queryset.filter(matching):
        for name in fields:
            setattr(row, name, _replaced(getattr(row, name), pattern, replacement))
        row.save(update_fields=fields)
        changed += 1
    return changed


def _replaced(value, pattern: re.Pattern, replacement: str):
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_replaced(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {
            _replaced(key, pattern, replacement): _replaced(item, pattern, replacement)
            for key, item in value.items()
        }
    return value
