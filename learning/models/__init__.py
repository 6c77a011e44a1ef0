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

__all__ = [
    "Category",
    "CourseIndexPage",
    "CoursePage",
    "CoursePageTag",
    "EbookDownload",
    "EbookIndexPage",
    "EbookPage",
    "Level",
    "LessonPage",
    "ModulePage",
]
