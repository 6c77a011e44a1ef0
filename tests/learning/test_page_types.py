"""Where course and ebook pages may live in the tree, and that an admin can create each one."""

from django.urls import reverse

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import BlogIndexPage, HomePage, StandardPage
from learning.models import (
    CourseIndexPage,
    CoursePage,
    EbookIndexPage,
    EbookPage,
    LessonPage,
    Level,
    ModulePage,
)
from memberships.defaults import seed_default_tiers
from memberships.models import Tier

from ..factories import (
    CategoryFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    DocumentFactory,
    EbookIndexPageFactory,
    HomePageFactory,
    ModulePageFactory,
    UserFactory,
)


class TestLearningPageRules(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        seed_default_tiers(Tier)
        cls.admin = UserFactory(is_staff=True, is_superuser=True)
        cls.home = HomePageFactory(parent=Page.get_first_root_node())
        cls.catalog = CourseIndexPageFactory(parent=cls.home)
        cls.ebooks = EbookIndexPageFactory(parent=cls.home)
        cls.course = CoursePageFactory(parent=cls.catalog)
        cls.module = ModulePageFactory(parent=cls.course)

    def setUp(self):
        self.client.force_login(self.admin)

    def assertRefused(self, response):
        # Wagtail answers a forbidden admin action by sending the user to the dashboard.
        self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)

    def test_course_tree_runs_catalog_course_module_lesson(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_levels_of_the_course_tree_cannot_be_skipped(self):
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanNotCreateAt(CourseIndexPage, ModulePage)
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(StandardPage, CoursePage)
        self.assertCanNotCreateAt(BlogIndexPage, LessonPage)

    def test_only_one_catalog_can_exist(self):
        self.assertFalse(CourseIndexPage.can_create_at(self.home))
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["learning", "courseindexpage", self.home.pk]),
            {"title": "More courses", "slug": "more-courses", "action-publish": "1"},
        )
        self.assertRefused(response)
        self.assertEqual(CourseIndexPage.objects.count(), 1)

    def test_course_with_fields_from_every_tab_can_be_created_in_the_catalog(self):
        category = CategoryFactory(name="Data")
        instructor = UserFactory(is_staff=True)
        data = nested_form_data(
            {
                # Content
                "title": "SQL for analysts",
                "summary": "Query real data with confidence.",
                "cover_image": "",
                "body": streamfield([("paragraph", rich_text("<p>From SELECT to window functions.</p>"))]),
                "objectives": streamfield([("objective", "Write a join")]),
                "requirements": streamfield([("requirement", "A laptop")]),
                # Details
                "category": str(category.pk),
                "level": Level.INTERMEDIATE,
                "language": "vi",
                "tags": "sql, data",
                # Access
                "required_tier": str(Tier.objects.get(slug="silver").pk),
                "is_sequential": "on",
                # Promote
                "seo_title": "Learn SQL",
                "search_description": "An SQL course.",
            }
        )
        data["instructors"] = [str(instructor.pk)]

        self.assertCanCreate(self.catalog, CoursePage, data)

        course = CoursePage.objects.get(slug="sql-for-analysts")
        self.assertTrue(course.live)
        self.assertEqual(course.category, category)
        self.assertEqual(course.level, Level.INTERMEDIATE)
        self.assertEqual(course.language, "vi")
        self.assertEqual(course.required_tier.slug, "silver")
        self.assertTrue(course.is_sequential)
        self.assertEqual(list(course.instructors.all()), [instructor])
        self.assertEqual(sorted(t.name for t in course.tags.all()), ["data", "sql"])
        self.assertEqual([b.value for b in course.objectives], ["Write a join"])
        self.assertEqual(course.seo_title, "Learn SQL")

    def test_course_needs_a_summary(self):
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["learning", "coursepage", self.catalog.pk]),
            nested_form_data(
                {
                    "title": "No summary",
                    "slug": "no-summary",
                    "summary": "",
                    "body": streamfield([]),
                    "objectives": streamfield([]),
                    "requirements": streamfield([]),
                    "level": Level.BEGINNER,
                    "language": "en",
                    "action-publish": "1",
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("summary", response.context["form"].errors)
        self.assertFalse(CoursePage.objects.filter(slug="no-summary").exists())

    def test_module_can_be_created_in_a_course(self):
        self.assertCanCreate(self.course, ModulePage, {"title": "Getting started", "summary": "Set up."})
        self.assertEqual(ModulePage.objects.get(slug="getting-started").get_parent().pk, self.course.pk)

    def test_lesson_with_a_code_body_can_be_created_in_a_module(self):
        data = nested_form_data(
            {
                "title": "Your first query",
                "summary": "SELECT and FROM.",
                "video": "",
                "duration_minutes": "12",
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>Type this:</p>")),
                        ("code", {"language": "sql", "caption": "", "code": "SELECT 1;"}),
                    ]
                ),
                "attachments": streamfield([]),
                "is_preview": "on",
                "required_tier": "",
            }
        )
        self.assertCanCreate(self.module, LessonPage, data)
        lesson = LessonPage.objects.get(slug="your-first-query")
        self.assertEqual(lesson.duration_minutes, 12)
        self.assertTrue(lesson.is_preview)
        self.assertEqual(lesson.body[1].value["code"], "SELECT 1;")

    def test_ebook_shelf_lives_under_home_and_holds_only_ebooks(self):
        self.assertAllowedParentPageTypes(EbookIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(EbookIndexPage, {EbookPage})
        self.assertAllowedParentPageTypes(EbookPage, {EbookIndexPage})
        self.assertAllowedSubpageTypes(EbookPage, set())
        self.assertCanNotCreateAt(CourseIndexPage, EbookPage)
        self.assertFalse(EbookIndexPage.can_create_at(self.home))

    def test_ebook_with_its_document_can_be_created_and_defaults_to_the_ebook_tier(self):
        document = DocumentFactory(title="Clean SQL")
        self.assertCanCreate(
            self.ebooks,
            EbookPage,
            nested_form_data(
                {
                    "title": "Clean SQL",
                    "author_name": "Lan Nguyen",
                    "cover_image": "",
                    "description": rich_text("<p>Readable queries.</p>"),
                    "document": str(document.pk),
                    "page_count": "180",
                    "required_tier": str(Tier.objects.get(slug="silver").pk),
                }
            ),
        )
        ebook = EbookPage.objects.get(slug="clean-sql")
        self.assertEqual(ebook.document, document)
        self.assertEqual(ebook.page_count, 180)

    def test_new_ebook_form_starts_at_the_lowest_tier_that_includes_ebooks(self):
        response = self.client.get(
            reverse("wagtailadmin_pages:add", args=["learning", "ebookpage", self.ebooks.pk])
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"]["required_tier"].value(), Tier.objects.get(slug="silver").pk
        )
