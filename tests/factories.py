"""Factories for every model tests build. Pages are always created under a parent."""

from django.contrib.auth import get_user_model

from wagtail.documents import get_document_model

import factory
import wagtail_factories

from home.models import BlogIndexPage, BlogPage, HomePage, StandardPage
from images.models import LecternImage
from learning.models import (
    Category,
    CourseIndexPage,
    CoursePage,
    EbookIndexPage,
    EbookPage,
    LessonPage,
    ModulePage,
)
from media_pipeline.models import Video


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct-horse-battery")

    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)


class ImageFactory(wagtail_factories.ImageFactory):
    class Meta:
        model = LecternImage


class DocumentFactory(wagtail_factories.DocumentFactory):
    file = factory.django.FileField(filename="book.pdf", data=b"%PDF-1.4\n% test\n")

    class Meta:
        model = get_document_model()


class CategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")

    class Meta:
        model = Category


class VideoFactory(factory.django.DjangoModelFactory):
    title = factory.Faker("sentence", nb_words=3)

    class Meta:
        model = Video


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Lectern"
    hero_title = factory.Faker("sentence", nb_words=4)

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=3)
    introduction = factory.Faker("paragraph")

    class Meta:
        model = StandardPage


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    title = "Courses"
    show_in_menus = True
    slug = "courses"

    class Meta:
        model = CourseIndexPage


class CoursePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Course {n}")
    summary = factory.Faker("sentence", nb_words=12)

    class Meta:
        model = CoursePage


class ModulePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Module {n}")

    class Meta:
        model = ModulePage


class LessonPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Lesson {n}")
    duration_minutes = factory.Faker("random_int", min=3, max=30)
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Lesson body text for learners.</p>")])

    class Meta:
        model = LessonPage


class BlogIndexPageFactory(wagtail_factories.PageFactory):
    title = "Blog"
    show_in_menus = True
    slug = "blog"

    class Meta:
        model = BlogIndexPage


class BlogPageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=5)
    summary = factory.Faker("sentence", nb_words=15)
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Post body for members.</p>")])

    class Meta:
        model = BlogPage


class EbookIndexPageFactory(wagtail_factories.PageFactory):
    title = "Ebooks"
    show_in_menus = True
    slug = "ebooks"

    class Meta:
        model = EbookIndexPage


class EbookPageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=4)
    description = "<p>A practical book.</p>"
    document = factory.SubFactory(DocumentFactory)
    page_count = 12

    class Meta:
        model = EbookPage


def build_course(index, modules: int = 2, lessons: int = 2, **course_fields) -> CoursePage:
    """A published course with `modules` × `lessons` lessons below it."""
    course = CoursePageFactory(parent=index, **course_fields)
    for _m in range(modules):
        module = ModulePageFactory(parent=course)
        for _l in range(lessons):
            LessonPageFactory(parent=module)
    return course
