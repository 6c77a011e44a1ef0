from .courses import (
    Category,
    CourseIndexPage,
    CoursePage,
    CoursePageTag,
    Level,
    LessonPage,
    ModulePage,
)
from .ebooks import EbookIndexPage, EbookPage

__all__ = [
    "Category",
    "CourseIndexPage",
    "CoursePage",
    "CoursePageTag",
    "EbookIndexPage",
    "EbookPage",
    "Level",
    "LessonPage",
    "ModulePage",
]
