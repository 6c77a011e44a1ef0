"""Personal data kept by live sessions: attendance (see privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import declare, delete_owned, detach, owned_rows

declare(
    "live.Attendance",
    fields=["user"],
    purpose=_("Which live sessions you joined, for the instructor's attendance list."),
    retention=_("While the account exists."),
    area="live",
    export=owned_rows(
        "live.Attendance", "session__title", "joined_at", "last_joined_at", "left_at", "join_count"
    ),
    erase=delete_owned("live.Attendance"),
    on_erasure=_("Deleted."),
)
declare(
    "live.LiveSession",
    fields=["created_by"],
    purpose=_("Which staff member scheduled a live session."),
    retention=_("While the session exists."),
    area="content",
    export=owned_rows("live.LiveSession", "title", "starts_at", owner="created_by"),
    erase=detach("live.LiveSession", owner="created_by"),
    on_erasure=_("The session stays; the organiser's name is removed."),
)
