"""Recurring django-q2 jobs, declared by each app in its `schedules.py` as a list of
Schedule fields and created by `migrate` (post_migrate), never by hand.

Keyed by name: running migrate again keeps an admin's changes to the timing, and puts
back a schedule that was deleted."""

from collections.abc import Callable

from django_q.models import Schedule


def ensure(schedules: list[dict]) -> None:
    for item in schedules:
        defaults = {key: value for key, value in item.items() if key != "name"}
        Schedule.objects.get_or_create(name=item["name"], defaults={"repeats": -1, **defaults})


def on_migrate(schedules: list[dict]) -> Callable[..., None]:
    """A post_migrate receiver that ensures `schedules`."""

    def ensure_schedules(**_kwargs) -> None:
        ensure(schedules)

    return ensure_schedules
