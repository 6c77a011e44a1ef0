"""Where the site's own pages may live in the tree, and that an admin can create each one."""

from django.urls import reverse

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import BlogIndexPage, BlogPage, HomePage, StandardPage
from learning.models import CourseIndexPage, CoursePage, EbookIndexPage, LessonPage

from ..factories import BlogIndexPageFactory, HomePageFactory, StandardPageFactory, UserFactory


def _add_url(model, parent) -> str:
    return reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])


class AdminLoggedIn(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.root = Page.get_first_root_node()
        cls.admin = UserFactory(is_staff=True, is_superuser=True)

    def setUp(self):
        self.client.force_login(self.admin)

    def assertRefused(self, response):
        # Wagtail answers a forbidden admin action by sending the user to the dashboard.
        self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)


class TestHomePageRules(AdminLoggedIn):
    def test_home_page_sits_at_the_root_and_holds_the_site_sections(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage, {StandardPage, BlogIndexPage, CourseIndexPage, EbookIndexPage}
        )
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_first_home_page_can_be_created_under_the_root(self):
        data = nested_form_data(
            {
                "title": "Lectern",
                "hero_title": "Learn skills that last",
                "hero_text": "Courses by practitioners.",
                "hero_cta_label": "Browse courses",
                "featured_courses": inline_formset([]),
                "body": streamfield([("paragraph", rich_text("<p>Welcome aboard.</p>"))]),
            }
        )
        self.assertCanCreate(self.root, HomePage, data)
        home = HomePage.objects.get()
        self.assertEqual(home.hero_text, "Courses by practitioners.")
        self.assertEqual(home.body[0].block_type, "paragraph")

    def test_a_second_home_page_is_refused(self):
        HomePageFactory(parent=self.root)
        self.assertFalse(HomePage.can_create_at(self.root))

        response = self.client.post(
            _add_url(HomePage, self.root),
            nested_form_data({"title": "Another home", "slug": "another-home", "action-publish": "1"}),
        )

        self.assertRefused(response)
        self.assertEqual(HomePage.objects.count(), 1)


class TestSectionPageRules(AdminLoggedIn):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = HomePageFactory(parent=cls.root)
        cls.blog = BlogIndexPageFactory(parent=cls.home)

    def test_standard_pages_nest_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        self.assertCanNotCreateAt(BlogIndexPage, StandardPage)
        self.assertCanNotCreateAt(CourseIndexPage, StandardPage)

    def test_standard_page_with_a_body_can_be_created_under_home_and_under_another(self):
        body = streamfield(
            [
                ("paragraph", rich_text("<p>Who we are.</p>")),
                ("callout", {"kind": "tip", "title": "Note", "text": rich_text("<p>Be kind.</p>")}),
            ]
        )
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data({"title": "About us", "introduction": "Hi.", "body": body}),
        )
        about = StandardPage.objects.get(slug="about-us")
        self.assertEqual([block.block_type for block in about.body], ["paragraph", "callout"])

        self.assertCanCreate(
            about, StandardPage, nested_form_data({"title": "Team", "body": streamfield([])})
        )
        self.assertEqual(StandardPage.objects.get(slug="team").get_parent().pk, about.pk)

    def test_blog_index_lives_under_home_and_holds_only_posts(self):
        self.assertAllowedParentPageTypes(BlogIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(BlogIndexPage, {BlogPage})

    def test_only_one_blog_index_can_exist(self):
        self.assertFalse(BlogIndexPage.can_create_at(self.home))
        response = self.client.post(
            _add_url(BlogIndexPage, self.home), {"title": "News", "slug": "news", "action-publish": "1"}
        )
        self.assertRefused(response)
        self.assertEqual(BlogIndexPage.objects.count(), 1)

    def test_blog_posts_live_only_in_the_blog_and_are_leaves(self):
        self.assertAllowedParentPageTypes(BlogPage, {BlogIndexPage})
        self.assertAllowedSubpageTypes(BlogPage, set())
        self.assertCanNotCreateAt(HomePage, BlogPage)
        self.assertCanNotCreateAt(BlogPage, LessonPage)

    def test_blog_post_with_tags_and_body_can_be_created_in_the_blog(self):
        data = nested_form_data(
            {
                "title": "Release notes",
                "date": "2025-03-14",
                "author": str(self.admin.pk),
                "tags": "django, wagtail",
                "summary": "What changed this month.",
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>We shipped quizzes.</p>")),
                        ("code", {"language": "python", "caption": "", "code": "print('hi')"}),
                    ]
                ),
                "required_tier": "",
            }
        )
        self.assertCanCreate(self.blog, BlogPage, data)
        post = BlogPage.objects.get(slug="release-notes")
        self.assertTrue(post.live)
        self.assertEqual(sorted(tag.name for tag in post.tags.all()), ["django", "wagtail"])
        self.assertEqual(post.author, self.admin)

    def test_blog_post_without_a_body_is_rejected(self):
        response = self.client.post(
            _add_url(BlogPage, self.blog),
            nested_form_data(
                {
                    "title": "Empty",
                    "slug": "empty",
                    "date": "2025-03-14",
                    "body": streamfield([]),
                    "action-publish": "1",
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("body", response.context["form"].errors)
        self.assertFalse(BlogPage.objects.exists())

    def test_a_standard_page_cannot_hold_a_blog(self):
        about = StandardPageFactory(parent=self.home)
        self.assertCanNotCreateAt(StandardPage, BlogIndexPage)
        response = self.client.get(_add_url(BlogIndexPage, about))
        self.assertRefused(response)
