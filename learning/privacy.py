"""Personal data kept by learning: enrolments, lesson progress, ebook downloads (see
privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import ErasureContext, declare, delete_owned, detach, owned_rows


def _leave_courses(context: ErasureContext):
    return context.user.taught_courses.clear()


declare(
    "learning.Enrollment",
    fields=["user"],
    purpose=_("The courses you joined and how far you are, for your dashboard and certificates."),
    retention=_("While the account exists."),
    area="learning",
    export=owned_rows(
        "learning.Enrollment", "course__title", "status", "enrolled_at", "completed_at", "progress_percent"
    ),
    erase=delete_owned("learning.Enrollment"),
    on_erasure=_("Deleted (anonymous daily counts stay)."),
)
declare(
    "learning.LessonProgress",
    fields=["user"],
    purpose=_("Which parts of each lesson you watched and where to resume."),
    retention=_("While the account exists."),
    area="learning",
    export=owned_rows(
        "learning.LessonProgress",
        "lesson__title",
        "watched_ranges",
        "watched_seconds",
        "position_seconds",
        "duration_seconds",
        "completed_at",
        "updated_at",
    ),
    erase=delete_owned("learning.LessonProgress"),
    on_erasure=_("Deleted."),
)
declare(
    "learning.EbookDownload",
    fields=["user", "ip", "user_agent"],
    purpose=_("Each ebook download, against abuse of paid files."),
    retention=_("90 days."),
    area="ebooks",
    export=owned_rows("learning.EbookDownload", "ebook__title", "ip", "user_agent", "created_at"),
    erase=detach("learning.EbookDownload", ip=None, user_agent=""),
    on_erasure=_("Kept for the download counts; the account, address and browser are removed."),
)
declare(
    "learning.EbookPage",
    fields=["author_name"],
    purpose=_("The published author of an ebook: public content, not a learner's data."),
    retention=_("While the ebook is published."),
    area="content",
    personal=False,
)
declare(
    "learning.CoursePage",
    fields=["instructors"],
    purpose=_("A course's instructors, shown on the course and on its certificates."),
    retention=_("While the course exists."),
    area="content",
    export=owned_rows("learning.CoursePage", "title", owner="instructors"),
    erase=_leave_courses,
    on_erasure=_("The instructor is removed from the course."),
)
declare(
    "learning.CourseWatchDay",
    fields=["user"],
    purpose=_(
        "How many minutes you watched in each course each day, to share subscription revenue with instructors."
    ),
    retention=_("While the account exists."),
    area="learning",
    export=owned_rows("learning.CourseWatchDay", "course__title", "day", "seconds"),
    erase=delete_owned("learning.CourseWatchDay"),
    on_erasure=_("Deleted."),
)
