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
from .progress import Enrollment, EnrollmentStatus, LessonProgress

__all__ = [
    "Category",
    "CourseIndexPage",
    "CoursePage",
    "CoursePageTag",
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
