from .courses import (
    Category,
    CourseIndexPage,
    CoursePage,
    CoursePageTag,
    LessonPage,
    Level,
    ModulePage,
)
from .ebooks import EbookDownload, EbookIndexPage, EbookPage
from .progress import CourseWatchDay, Enrollment, EnrollmentStatus, LessonProgress

__all__ = [
    "Category",
    "CourseIndexPage",
    "CoursePage",
    "CoursePageTag",
    "CourseWatchDay",
    "EbookDownload",
    "EbookIndexPage",
    "EbookPage",
    "Enrollment",
    "EnrollmentStatus",
    "Level",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
]
