"""Personal data kept by analytics: raw events tied to an account (see privacy.registry).
Daily rollups hold only counts and are not personal."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import declare, detach, owned_rows

declare(
    "analytics.Event",
    fields=["user"],
    purpose=_("What happened on the site (page views, plays, purchases), counted per day."),
    retention=_("180 days; daily counts are kept without any link to a person."),
    area="analytics",
    export=owned_rows(
        "analytics.Event",
        "kind",
        "created_at",
        "path",
        "course_id",
        "lesson_id",
        "tier_id",
        "amount",
        "currency",
    ),
    erase=detach("analytics.Event"),
    on_erasure=_("Kept for the counts; the link to the account is removed."),
)
