"""Build the demo site described in `demo.content`, idempotently.

Every object is looked up by a natural key first (email, name, title, slug under its
parent) and created only when missing. Existing objects are left as they are, so a
second run writes nothing, renders no image or PDF, and keeps any edits made to the
demo pages in the admin. Call `DemoSeeder().run()` inside a transaction.
"""

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from allauth.account.models import EmailAddress

from home.models import BlogIndexPage, BlogPage, HomePage, HomePageFeaturedCourse, StandardPage
from learning.models import (
    Category,
    CourseIndexPage,
    CoursePage,
    EbookIndexPage,
    EbookPage,
    LessonPage,
    ModulePage,
)
from memberships.models import Tier

from . import content
from .content import Block, BlogPost, Callout, Code, Course, Ebook, Figure, Lesson, Module, Paragraph, Section
from .ebooks import render_ebook
from .images import BANNER_SIZE, HERO_SIZE, render_banner
from .live import seed_live_demo
from .quizzes import quiz_blocks_for
from .videos import attach_course_video

# The placeholder page `wagtail` migrations create as the first site's root.
WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"


# Images and documents are only looked up for pages that are being built, so a second
# run does not list them at all.
SUMMARY_ORDER = ("users", "categories", "pages", "images", "documents", "videos", "featured courses")


class SeedError(Exception):
    """The database is not in a state the demo can be built on (e.g. tiers missing)."""


class Tally:
    """Counts created and already-present objects per kind, for the summary."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.existing: Counter[str] = Counter()

    def record(self, kind: str, created: bool, count: int = 1) -> None:
        (self.created if created else self.existing)[kind] += count

    @property
    def kinds(self) -> list[str]:
        """Kinds that were looked at, in a fixed order so runs compare line by line."""
        seen = {*self.created, *self.existing}
        return [kind for kind in SUMMARY_ORDER if kind in seen]


class DemoSeeder:
    def __init__(self) -> None:
        self.tally = Tally()
        self.users: dict[str, object] = {}
        self.categories: dict[str, Category] = {}
        self.tiers: dict[str, Tier] = {}

    def run(self) -> Tally:
        self._load_tiers()
        self._seed_users()
        self._seed_categories()
        home = self._seed_home()
        catalog = self._seed_section(home, CourseIndexPage, content.COURSE_INDEX)
        blog = self._seed_section(home, BlogIndexPage, content.BLOG_INDEX)
        ebooks = self._seed_section(home, EbookIndexPage, content.EBOOK_INDEX)
        self._seed_section(home, StandardPage, content.ABOUT)
        courses = {spec.slug: self._seed_course(catalog, spec) for spec in content.COURSES}
        for post in content.BLOG_POSTS:
            self._ensure_page(blog, BlogPage, post.slug, partial(self._build_blog_post, post))
        for ebook in content.EBOOKS:
            self._ensure_page(ebooks, EbookPage, ebook.slug, partial(self._build_ebook, ebook))
        self._feature_courses(home, [courses[slug] for slug in content.HOME.featured_courses])
        seed_live_demo()
        return self.tally

    # Reference data

    def _load_tiers(self) -> None:
        """Tiers come from the memberships migration; the demo never invents its own."""
        self.tiers = Tier.objects.in_bulk(field_name="slug")
        specs = [*content.COURSES, *content.BLOG_POSTS, *content.EBOOKS]
        missing = {spec.tier for spec in specs if spec.tier} - set(self.tiers)
        if missing:
            raise SeedError(f"Membership tiers {sorted(missing)} are missing; run `manage.py migrate`.")

    def _tier(self, slug: str | None) -> Tier | None:
        return self.tiers[slug] if slug else None

    def _seed_users(self) -> None:
        User = get_user_model()
        for spec in content.USERS:
            user = User.objects.filter(email=spec.email).first()
            self.tally.record("users", user is None)
            if user is None:
                create = User.objects.create_superuser if spec.is_superuser else User.objects.create_user
                user = create(spec.email, content.PASSWORD, full_name=spec.full_name, is_staff=spec.is_staff)
            for name in spec.groups:
                user.groups.add(self._group(name))
            self._verify_email(user)
            self.users[spec.email] = user

    def _group(self, name: str) -> Group:
        group = Group.objects.filter(name=name).first()
        if group is None:
            raise SeedError(f"Group {name!r} is missing; Wagtail's migrations create it.")
        return group

    @staticmethod
    def _verify_email(user) -> None:
        """allauth's mandatory verification would otherwise stop every demo login."""
        address, _ = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if not (address.verified and address.primary):
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])

    def _seed_categories(self) -> None:
        for name in content.CATEGORIES:
            category, created = Category.objects.get_or_create(name=name)
            self.tally.record("categories", created)
            self.categories[name] = category

    # Files

    def _image(
        self,
        title: str,
        kicker: str,
        colors: tuple[str, str],
        alt_text: str,
        text: str = "",
        size: tuple[int, int] = BANNER_SIZE,
    ):
        """Reuse the image with this title, or draw one showing `text` (default: the title).

        An image drawn at another size by an earlier seed is redrawn in place, so pages
        that use it pick up the fix without losing anything.
        """
        Image = get_image_model()
        image = Image.objects.filter(title=title).first()
        self.tally.record("images", image is None)
        if image is not None and (image.width, image.height) == size:
            return image
        data = render_banner(text or title, kicker, colors, size=size)
        if image is None:
            image = Image(title=title, alt_text=alt_text)
        else:
            image.renditions.all().delete()
            image.file.delete(save=False)
        image.file = ImageFile(ContentFile(data), name=f"{slugify(title)}.jpg")
        image._set_image_file_metadata()  # size and hash, as Wagtail's upload form does
        image.save()
        return image

    def _cover(self, title: str, kicker: str, colors: tuple[str, str]):
        return self._image(
            f"{title} (cover)", kicker, colors, alt_text=f"Cover illustration for {title}", text=title
        )

    def _document(self, title: str, filename: str, data: bytes):
        Document = get_document_model()
        document = Document.objects.filter(title=title).first()
        self.tally.record("documents", document is None)
        if document is None:
            document = Document(title=title)
            document.file.save(filename, ContentFile(data), save=False)
            document._set_document_file_metadata()  # size and hash, as Wagtail's upload form does
            document.save()
        return document

    # Pages

    def _ensure_page(self, parent: Page, model: type[Page], slug: str, build: Callable[[], Page]) -> Page:
        """The `model` page with `slug` under `parent`, built and published if missing."""
        page = model.objects.child_of(parent).filter(slug=slug).first()
        self.tally.record("pages", page is None)
        if page is not None:
            return page
        if parent.get_children().filter(slug=slug).exists():
            raise SeedError(f"{parent.url_path}{slug}/ exists but is not a {model.__name__}.")
        page = build()
        page.slug = slug
        parent.add_child(instance=page)
        # Written by its owner (an instructor for their courses), published by the admin:
        # instructors do not publish pages themselves.
        page.save_revision(user=page.owner).publish(user=self.users[content.ADMIN])
        return page

    def _seed_home(self) -> HomePage:
        """Our HomePage in place of Wagtail's welcome page, as the default Site's root."""
        home = HomePage.objects.first()
        self.tally.record("pages", home is None)
        if home is None:
            home = self._replace_welcome_page()
        else:
            self._hero_image()  # an earlier seed's hero, drawn for the wrong crop, is redrawn
        self._point_default_site(home)
        return home

    def _replace_welcome_page(self) -> HomePage:
        root = Page.get_first_root_node()
        welcome = list(root.get_children().filter(title=WAGTAIL_WELCOME_TITLE).exact_type(Page))
        # A Site is deleted with its root page, so park the welcome page's sites on the tree
        # root while the page goes, then hand them the new home.
        sites = list(Site.objects.filter(root_page__in=welcome))
        Site.objects.filter(pk__in=[site.pk for site in sites]).update(root_page=root)
        for page in welcome:
            page.delete()
        home = self._build_home()
        if root.get_children().filter(slug=home.slug).exists():
            raise SeedError(f"A page with the slug {home.slug!r} already sits at the top of the tree.")
        # Re-read the root: deleting its child changed the numchild treebeard relies on.
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision(user=home.owner).publish(user=home.owner)
        for site in sites:
            site.root_page = home
            site.save()
        return home

    def _hero_image(self):
        spec = content.HOME
        return self._image(
            f"{spec.title} hero",
            "Online courses",
            spec.colors,
            alt_text="Abstract shapes on a teal gradient",
            text=spec.hero_title,
            size=HERO_SIZE,
        )

    def _build_home(self) -> HomePage:
        spec = content.HOME
        return HomePage(
            title=spec.title,
            slug="home",
            hero_title=spec.hero_title,
            hero_text=spec.hero_text,
            hero_cta_label=spec.hero_cta_label,
            hero_image=self._hero_image(),
            body=self._stream(spec.body, spec.colors),
            owner=self.users[content.ADMIN],
        )

    def _point_default_site(self, home: HomePage) -> None:
        site = Site.objects.filter(is_default_site=True).first() or Site(
            hostname="localhost", port=80, is_default_site=True
        )
        if site.pk and site.root_page_id == home.pk and site.site_name:
            return
        site.root_page = home
        site.site_name = site.site_name or content.HOME.title
        site.save()

    def _seed_section(self, home: HomePage, model: type[Page], spec: Section) -> Page:
        return self._ensure_page(home, model, spec.slug, partial(self._build_section, model, spec))

    def _build_section(self, model: type[Page], spec: Section) -> Page:
        page = model(
            title=spec.title,
            introduction=spec.introduction,
            show_in_menus=True,
            owner=self.users[content.ADMIN],
        )
        if spec.body:
            page.body = self._stream(spec.body, content.HOME.colors)
        return page

    def _seed_course(self, catalog: Page, spec: Course) -> CoursePage:
        course = self._ensure_page(catalog, CoursePage, spec.slug, partial(self._build_course, spec))
        owner = self.users[spec.instructors[0]]
        for module_number, module_spec in enumerate(spec.modules):
            module = self._ensure_page(
                course, ModulePage, module_spec.page_slug, partial(self._build_module, module_spec, owner)
            )
            for lesson_number, lesson_spec in enumerate(module_spec.lessons):
                is_first = module_number == 0 and lesson_number == 0
                build = partial(self._build_lesson, spec, lesson_spec, owner, is_preview=is_first)
                self._ensure_page(module, LessonPage, lesson_spec.page_slug, build)
        attach_course_video(course, spec.title, spec.colors[0], self.tally)
        return course

    def _build_course(self, spec: Course) -> CoursePage:
        instructors = [self.users[email] for email in spec.instructors]
        page = CoursePage(
            title=spec.title,
            summary=spec.summary,
            search_description=spec.summary,
            body=self._stream(spec.body, spec.colors),
            cover_image=self._cover(spec.title, f"Course · {spec.level}", spec.colors),
            level=spec.level,
            category=self.categories[spec.category],
            language=spec.language,
            objectives=[("objective", text) for text in spec.objectives],
            requirements=[("requirement", text) for text in spec.requirements],
            required_tier=self._tier(spec.tier),
            is_sequential=spec.is_sequential,
            owner=instructors[0],
        )
        page.instructors = instructors
        page.tags.add(*spec.tags)
        return page

    @staticmethod
    def _build_module(spec: Module, owner) -> ModulePage:
        return ModulePage(title=spec.title, summary=spec.summary, owner=owner)

    def _build_lesson(self, course: Course, spec: Lesson, owner, *, is_preview: bool) -> LessonPage:
        return LessonPage(
            title=spec.title,
            summary=spec.summary,
            body=self._stream(spec.body, course.colors) + quiz_blocks_for(course.slug, spec.page_slug),
            duration_minutes=spec.minutes,
            is_preview=is_preview,
            owner=owner,
        )

    def _build_blog_post(self, spec: BlogPost) -> BlogPage:
        author = self.users[spec.author]
        published = timezone.now() - timedelta(days=spec.days_ago)
        page = BlogPage(
            title=spec.title,
            date=timezone.localdate(published),
            # Kept by publish(), so "first published" agrees with the post's date in the admin.
            first_published_at=published,
            author=author,
            summary=spec.summary,
            search_description=spec.summary,
            cover_image=self._cover(spec.title, "Blog", spec.colors),
            body=self._stream(spec.body, spec.colors),
            required_tier=self._tier(spec.tier),
            owner=author,
        )
        page.tags.add(*spec.tags)
        return page

    def _build_ebook(self, spec: Ebook) -> EbookPage:
        pdf = render_ebook(spec.title, spec.subtitle, spec.author_name, spec.chapters)
        return EbookPage(
            title=spec.title,
            author_name=spec.author_name,
            description=spec.description,
            cover_image=self._cover(spec.title, "Ebook", spec.colors),
            document=self._document(spec.title, f"{spec.slug}.pdf", pdf.data),
            page_count=pdf.page_count,
            required_tier=self._tier(spec.tier),
            owner=self.users[content.ADMIN],
        )

    def _feature_courses(self, home: HomePage, courses: list[CoursePage]) -> None:
        """Fill the home page's featured list once; an editor's own choice is kept."""
        featured = HomePageFeaturedCourse.objects.filter(page=home).count()
        if featured:
            self.tally.record("featured courses", created=False, count=featured)
            return
        home.featured_courses = [HomePageFeaturedCourse(course=course) for course in courses]
        home.save_revision(user=home.owner).publish(user=home.owner)
        self.tally.record("featured courses", created=True, count=len(courses))

    # StreamField

    def _stream(self, blocks: tuple[Block, ...], colors: tuple[str, str]) -> list[tuple[str, object]]:
        """BodyBlock data from content blocks; figures become stored images."""
        return [self._stream_block(block, colors) for block in blocks]

    def _stream_block(self, block: Block, colors: tuple[str, str]) -> tuple[str, object]:
        match block:
            case Paragraph(html):
                return "paragraph", html
            case Code(language, code, caption):
                return "code", {"language": language, "code": code, "caption": caption}
            case Callout(kind, title, html):
                return "callout", {"kind": kind, "title": title, "text": html}
            case Figure(title, caption):
                image = self._image(title, "Figure", colors, alt_text=caption)
                return "image", {"image": image, "caption": caption}
        raise TypeError(f"Unknown content block {block!r}")
