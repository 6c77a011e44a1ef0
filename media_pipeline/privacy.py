"""Personal data kept by the media pipeline: the key-access log and who uploaded a video
(see privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import declare, detach, owned_rows

declare(
    "media_pipeline.KeyAccess",
    fields=["user", "ip_address", "user_agent"],
    purpose=_("Each request for a video's content key, against sharing of paid videos."),
    retention=_("90 days."),
    area="playback",
    export=owned_rows(
        "media_pipeline.KeyAccess", "video__title", "allowed", "reason", "ip_address", "user_agent", "at"
    ),
    erase=detach("media_pipeline.KeyAccess", ip_address=None, user_agent=""),
    on_erasure=_("Kept for the counts; the account, address and browser are removed."),
)
declare(
    "media_pipeline.Video",
    fields=["created_by"],
    purpose=_("Which staff member uploaded a video."),
    retention=_("While the video exists."),
    area="content",
    export=owned_rows("media_pipeline.Video", "title", "created_at", owner="created_by"),
    erase=detach("media_pipeline.Video", owner="created_by"),
    on_erasure=_("The video stays; the uploader's name is removed."),
)
