"""What the demo site contains, as plain data.

`demo.seed` turns these definitions into users, snippets, images, documents and pages.
Keeping the words here and the Wagtail plumbing there means an editor-minded person can
change the demo without reading any ORM code.

Rich text is Wagtail's stored HTML (`<b>`, `<i>`, `<code>`, `<ul>`); ebook paragraphs
are reportlab's paragraph markup, which accepts the same inline tags.
"""

from dataclasses import dataclass

from django.utils.text import slugify

PASSWORD = "lectern-demo"  # noqa: S105 - demo accounts only, documented in the README


# Body blocks: one dataclass per BodyBlock child the demo uses.


@dataclass(frozen=True)
class Paragraph:
    html: str


@dataclass(frozen=True)
class Code:
    language: str
    code: str
    caption: str = ""


@dataclass(frozen=True)
class Callout:
    kind: str  # info, tip or warning
    title: str
    html: str


@dataclass(frozen=True)
class Figure:
    """An image block whose picture is drawn from `title` (the image's natural key)."""

    title: str
    caption: str


Block = Paragraph | Code | Callout | Figure


@dataclass(frozen=True)
class Lesson:
    title: str
    summary: str
    minutes: int
    body: tuple[Block, ...]
    slug: str = ""

    @property
    def page_slug(self) -> str:
        return self.slug or slugify(self.title)


@dataclass(frozen=True)
class Module:
    title: str
    summary: str
    lessons: tuple[Lesson, ...]
    slug: str = ""

    @property
    def page_slug(self) -> str:
        return self.slug or slugify(self.title)


@dataclass(frozen=True)
class Course:
    slug: str
    title: str
    summary: str
    category: str
    level: str
    language: str
    tier: str | None  # a Tier slug; None means free
    instructors: tuple[str, ...]  # emails
    tags: tuple[str, ...]
    objectives: tuple[str, ...]
    requirements: tuple[str, ...]
    body: tuple[Block, ...]
    colors: tuple[str, str]
    modules: tuple[Module, ...]
    is_sequential: bool = False


@dataclass(frozen=True)
class BlogPost:
    slug: str
    title: str
    author: str  # email
    days_ago: int
    tags: tuple[str, ...]
    summary: str
    body: tuple[Block, ...]
    colors: tuple[str, str]
    tier: str | None = None


@dataclass(frozen=True)
class Chapter:
    heading: str
    paragraphs: tuple[str, ...]
    code: str = ""


@dataclass(frozen=True)
class Ebook:
    slug: str
    title: str
    subtitle: str
    author_name: str
    description: str
    tier: str
    colors: tuple[str, str]
    chapters: tuple[Chapter, ...]


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    is_superuser: bool = False
    is_staff: bool = False
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A page directly under home: the catalog, the blog, the ebooks, About."""

    slug: str
    title: str
    introduction: str
    body: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Home:
    title: str
    hero_title: str
    hero_text: str
    hero_cta_label: str
    body: tuple[Block, ...]
    colors: tuple[str, str]
    featured_courses: tuple[str, ...]  # course slugs, in order


ADMIN = "admin@lectern.local"
EDITOR = "editor@lectern.local"
INSTRUCTOR = "instructor@lectern.local"
LEARNER = "learner@lectern.local"

USERS = (
    DemoUser(ADMIN, "Trần Minh", is_superuser=True, is_staff=True),
    DemoUser(EDITOR, "Nguyễn Thu Linh", is_staff=True, groups=("Editors",)),
    DemoUser(INSTRUCTOR, "Lê Văn An", is_staff=True, groups=("Instructors",)),
    DemoUser(LEARNER, "Phạm Thị Hoa"),
)

CATEGORIES = ("Web development", "Data", "Design")


# The site: home and the four sections under it.

HOME = Home(
    title="Lectern",
    hero_title="Learn skills that last",
    hero_text=(
        "Practical courses in Python, web development, data and design, taught by people "
        "who do this work every day. Start free; upgrade when you want the full library."
    ),
    hero_cta_label="Browse courses",
    colors=("#12263a", "#06bcc1"),
    body=(
        Paragraph(
            "<p>Every Lectern course is built around one real project, so what you learn on "
            "Monday is something you can use at work on Tuesday. Lessons are short, each one "
            "ends with an exercise, and the first lesson of every course is free to watch.</p>"
        ),
        Callout(
            "tip",
            "New here?",
            "<p>Start with <b>Python for data analysis</b> or <b>Modern CSS layout</b>: both are "
            "free with a Bronze account.</p>",
        ),
    ),
    featured_courses=("python-for-data-analysis", "modern-css-layout", "django-from-zero"),
)

COURSE_INDEX = Section(
    slug="courses",
    title="Courses",
    introduction=(
        "Project-based courses in programming, data and design. Filter by level, category or "
        "membership; every course lets you watch its first lesson for free."
    ),
)

BLOG_INDEX = Section(
    slug="blog",
    title="Blog",
    introduction="Notes from our instructors: techniques, worked examples and how we teach.",
)

EBOOK_INDEX = Section(
    slug="ebooks",
    title="Ebooks",
    introduction=(
        "Compact field guides to keep beside your editor. Silver members download the core "
        "library; Gold members get every title."
    ),
)

ABOUT = Section(
    slug="about",
    title="About",
    introduction="Lectern is a small school for working developers, analysts and designers.",
    body=(
        Paragraph(
            "<p>We started Lectern in Hồ Chí Minh City in 2023 because the courses we wanted to "
            "recommend to junior colleagues were either too long, too shallow or in a language "
            "they did not read comfortably. So we write courses the way we mentor: one project, "
            "short lessons, and exercises that look like real tickets.</p>"
        ),
        Paragraph(
            "<p>Our instructors teach part-time and build software the rest of the week. Courses "
            "are reviewed every six months and updated when the tools change.</p>"
        ),
        Callout(
            "info",
            "Memberships",
            "<ul><li><b>Bronze</b> is free: free courses and every course's preview lessons.</li>"
            "<li><b>Silver</b> adds premium courses and the core ebooks.</li>"
            "<li><b>Gold</b> adds every course and ebook, live sessions and certificates.</li></ul>",
        ),
    ),
)


# Courses

PYTHON_DATA = Course(
    slug="python-for-data-analysis",
    title="Python for data analysis",
    summary=(
        "Load, clean, reshape and chart real-world data with pandas: from a messy CSV to a "
        "chart you can explain to your team."
    ),
    category="Data",
    level="beginner",
    language="en",
    tier=None,
    instructors=(INSTRUCTOR,),
    tags=("python", "pandas", "data analysis"),
    objectives=(
        "Load CSV and Excel files into pandas DataFrames",
        "Fix missing values, wrong types and duplicate rows",
        "Group, aggregate and reshape data to answer business questions",
        "Plot results with matplotlib and explain what they show",
    ),
    requirements=(
        "Basic Python: variables, lists, functions",
        "Python 3.11 or later and a terminal; we set up the rest together",
    ),
    body=(
        Paragraph(
            "<p>Most analysis work is not modelling: it is getting a file into shape. In this "
            "course you work through one dataset, a year of orders from a small online "
            "bookshop, and answer the questions its owner actually asked: which titles sell, "
            "when, and to whom.</p>"
        ),
        Code(
            "python",
            'import pandas as pd\n\norders = pd.read_csv("orders.csv", parse_dates=["ordered_at"])\n'
            'monthly = orders.resample("MS", on="ordered_at")["total"].sum()\n'
            "print(monthly.tail(3))",
            caption="By the end of module one, this reads like plain English.",
        ),
        Callout(
            "tip",
            "Bring your own data",
            "<p>Every exercise also works on a CSV of your own. Swap the file name and keep going.</p>",
        ),
    ),
    colors=("#0f4c5c", "#5f9ea0"),
    modules=(
        Module(
            "Getting set up",
            "Install the tools and meet the DataFrame.",
            (
                Lesson(
                    "Why pandas?",
                    "What pandas does better than a spreadsheet, and where a spreadsheet still wins.",
                    8,
                    (
                        Paragraph(
                            "<p>A spreadsheet is perfect for a hundred rows you want to look at. "
                            "Once the file has a hundred thousand rows, or you need to repeat the "
                            "same clean-up every Monday, a script wins: it is fast, it is "
                            "repeatable, and it documents exactly what you did.</p>"
                        ),
                        Figure(
                            "Spreadsheet cells versus a DataFrame",
                            "A DataFrame is a table whose columns each have one type.",
                        ),
                        Code(
                            "bash",
                            "python3 -m venv .venv\n. .venv/bin/activate\n"
                            "pip install pandas matplotlib jupyterlab\njupyter lab",
                            caption="A virtual environment keeps this course's packages separate.",
                        ),
                        Callout(
                            "info",
                            "Which Python?",
                            "<p>Any Python from 3.11 works. Check with <code>python3 --version</code>.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Your first DataFrame",
                    "Read a CSV, look at its shape and check the types pandas guessed.",
                    12,
                    (
                        Paragraph(
                            "<p>Three methods tell you most of what you need about a new file: "
                            "<code>head()</code> shows the first rows, <code>info()</code> the "
                            "column types and missing counts, and <code>describe()</code> a "
                            "summary of every numeric column.</p>"
                        ),
                        Code(
                            "python",
                            'orders = pd.read_csv("orders.csv")\norders.head()\norders.info()\n'
                            "orders.describe()",
                        ),
                        Callout(
                            "warning",
                            "Dates arrive as text",
                            "<p>Unless you pass <code>parse_dates</code>, date columns are read as "
                            "strings and sort alphabetically, not by time.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Selecting rows and columns",
                    "Label-based and position-based selection, and filtering with conditions.",
                    14,
                    (
                        Paragraph(
                            "<p>Use <code>.loc</code> with labels and conditions and "
                            "<code>.iloc</code> with positions. A condition such as "
                            '<code>orders["total"] &gt; 500_000</code> gives a column of '
                            "True/False values that selects the matching rows.</p>"
                        ),
                        Code(
                            "python",
                            'big = orders.loc[orders["total"] > 500_000, ["customer", "total"]]\n'
                            "first_ten = orders.iloc[:10]",
                        ),
                        Callout(
                            "tip",
                            "Avoid chained assignment",
                            '<p>Write <code>orders.loc[mask, "vip"] = True</code> in one step; '
                            '<code>orders[mask]["vip"] = True</code> may change a copy.</p>',
                        ),
                    ),
                ),
            ),
        ),
        Module(
            "Cleaning data",
            "Missing values, wrong types and duplicates: the work that takes most of the time.",
            (
                Lesson(
                    "Missing values",
                    "Find gaps, decide what they mean, then fill or drop them on purpose.",
                    15,
                    (
                        Paragraph(
                            "<p>A missing value is a question, not a nuisance: an empty "
                            "<i>discount</i> probably means zero, but an empty <i>city</i> means "
                            "we do not know. Count them first, then treat each column on its "
                            "own terms.</p>"
                        ),
                        Figure(
                            "Missing values by column",
                            "Missing values per column in the bookshop orders.",
                        ),
                        Code(
                            "python",
                            "orders.isna().sum()\n"
                            'orders["discount"] = orders["discount"].fillna(0)\n'
                            'orders = orders.dropna(subset=["customer"])',
                        ),
                        Callout(
                            "warning",
                            "Do not fill with the mean by reflex",
                            "<p>Filling prices with the average hides the gap and shifts every "
                            "later statistic. Write down why you fill, every time.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Fixing types and dates",
                    "Convert text to numbers and dates without losing bad rows silently.",
                    12,
                    (
                        Paragraph(
                            "<p><code>pd.to_numeric</code> and <code>pd.to_datetime</code> with "
                            '<code>errors="coerce"</code> turn unparseable values into missing '
                            "ones, which you can then count and inspect.</p>"
                        ),
                        Code(
                            "python",
                            'orders["total"] = pd.to_numeric(orders["total"], errors="coerce")\n'
                            'orders["ordered_at"] = pd.to_datetime(orders["ordered_at"], errors="coerce")\n'
                            'orders[orders["total"].isna()]',
                        ),
                        Callout(
                            "info",
                            "Vietnamese number formats",
                            "<p>Prices written as <code>1.250.000</code> use dots for thousands: "
                            'pass <code>thousands="."</code> to <code>read_csv</code>.</p>',
                        ),
                    ),
                ),
                Lesson(
                    "Duplicates and outliers",
                    "Find repeated orders and values that are too good to be true.",
                    10,
                    (
                        Paragraph(
                            "<p>Exports often repeat rows when a job is retried. Decide which "
                            "columns identify an order, then keep the first copy. For outliers, "
                            "look before you delete: the biggest order of the year may be real.</p>"
                        ),
                        Code(
                            "python",
                            'orders = orders.drop_duplicates(subset=["order_id"], keep="first")\n'
                            'high = orders["total"].quantile(0.99)\norders[orders["total"] > high]',
                        ),
                        Callout(
                            "tip",
                            "Keep a log",
                            "<p>Print the row count after every clean-up step; a sudden drop is "
                            "usually a bug in your filter.</p>",
                        ),
                    ),
                ),
            ),
        ),
        Module(
            "Answering questions",
            "Group, pivot and plot the cleaned data.",
            (
                Lesson(
                    "Group by and aggregate",
                    "Split the data into groups, summarise each one, combine the results.",
                    16,
                    (
                        Paragraph(
                            "<p><code>groupby</code> follows a simple pattern: split rows into "
                            "groups, apply a summary to each group, combine the answers into a "
                            "new table. Named aggregations keep the result readable.</p>"
                        ),
                        Figure(
                            "Split, apply, combine",
                            "groupby splits rows by key, summarises each group and combines the results.",
                        ),
                        Code(
                            "python",
                            'by_title = orders.groupby("title").agg(\n'
                            '    copies=("quantity", "sum"),\n    revenue=("total", "sum"),\n)\n'
                            'by_title.sort_values("revenue", ascending=False).head(10)',
                        ),
                        Callout(
                            "info",
                            "Reset the index",
                            "<p>Add <code>.reset_index()</code> when you want the group keys back "
                            "as ordinary columns, for example before saving to CSV.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Reshaping with pivot tables",
                    "Turn long data into a month-by-category table the owner can read.",
                    14,
                    (
                        Paragraph(
                            "<p>A pivot table puts one variable down the side, another across "
                            "the top and a summary in the cells. It is the same idea as in a "
                            "spreadsheet, written in one line.</p>"
                        ),
                        Code(
                            "python",
                            "table = orders.pivot_table(\n"
                            '    index=orders["ordered_at"].dt.to_period("M"),\n'
                            '    columns="category", values="total", aggfunc="sum", fill_value=0,\n)',
                        ),
                        Callout(
                            "tip",
                            "Long for code, wide for people",
                            "<p>Keep data long while you compute; pivot to wide only for the "
                            "final table or chart.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Charts that explain",
                    "Plot a trend, label it, and say in one sentence what it shows.",
                    18,
                    (
                        Paragraph(
                            "<p>A chart for a colleague needs a title that states the finding, "
                            "labelled axes with units, and nothing else. Start with pandas' "
                            "<code>plot</code> and adjust with matplotlib.</p>"
                        ),
                        Code(
                            "python",
                            'ax = monthly.plot(kind="line", marker="o")\n'
                            'ax.set_title("Sales doubled after the March newsletter")\n'
                            'ax.set_ylabel("Revenue (VND)")\nax.figure.savefig("monthly.png", dpi=150)',
                        ),
                        Callout(
                            "tip",
                            "One chart, one message",
                            "<p>If you need two sentences to explain a chart, you probably need "
                            "two charts.</p>",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

CSS_LAYOUT = Course(
    slug="modern-css-layout",
    title="Modern CSS layout",
    summary=(
        "Build page layouts with Flexbox and Grid that adapt to any screen, without floats, "
        "hacks or a framework."
    ),
    category="Web development",
    level="beginner",
    language="en",
    tier=None,
    instructors=(EDITOR,),
    tags=("css", "flexbox", "grid", "responsive design"),
    objectives=(
        "Choose between Flexbox and Grid for a given layout",
        "Build responsive layouts with few or no media queries",
        "Write components that adapt to their container with container queries",
        "Debug layouts with the browser's grid and flex inspectors",
    ),
    requirements=(
        "You can write basic HTML and CSS selectors",
        "A current Firefox, Chrome or Safari",
    ),
    body=(
        Paragraph(
            "<p>CSS layout used to mean floats, clearfixes and grid frameworks. Today two "
            "layout modes, Flexbox and Grid, do all of that in a few lines. You will rebuild a "
            "course catalog page step by step, from a single column to a responsive grid of "
            "cards.</p>"
        ),
        Code(
            "css",
            ".cards {\n  display: grid;\n  grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));\n"
            "  gap: 1.5rem;\n}",
            caption="A responsive card grid with no media query.",
        ),
        Callout(
            "info",
            "No framework needed",
            "<p>Everything in this course is plain CSS supported by every current browser.</p>",
        ),
    ),
    colors=("#5b2a86", "#e0607e"),
    modules=(
        Module(
            "Flexbox",
            "One-dimensional layout: rows or columns of items.",
            (
                Lesson(
                    "The flex formatting context",
                    "What changes when a parent gets display: flex, and the two axes.",
                    10,
                    (
                        Paragraph(
                            "<p>Setting <code>display: flex</code> on a parent lays its children "
                            "out along a <b>main axis</b> (a row by default) and aligns them on "
                            "the <b>cross axis</b>. Nearly every Flexbox property is about one of "
                            "those two axes.</p>"
                        ),
                        Figure(
                            "Main axis and cross axis",
                            "flex-direction picks the main axis; the cross axis is perpendicular to it.",
                        ),
                        Code(
                            "css", ".toolbar {\n  display: flex;\n  align-items: center;\n  gap: 0.75rem;\n}"
                        ),
                        Callout(
                            "tip",
                            "Use the inspector",
                            "<p>Firefox and Chrome show a <i>flex</i> badge next to the element "
                            "in the inspector: click it to draw the axes on the page.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Growing, shrinking and wrapping",
                    "flex-grow, flex-shrink, flex-basis and flex-wrap in practice.",
                    12,
                    (
                        Paragraph(
                            "<p>The <code>flex</code> shorthand sets how an item grows, how it "
                            "shrinks and the size it starts from. With <code>flex-wrap: wrap</code> "
                            "items move to a new line instead of being squeezed.</p>"
                        ),
                        Code(
                            "css",
                            ".filters {\n  display: flex;\n  flex-wrap: wrap;\n  gap: 1rem;\n}\n"
                            ".filters > * {\n  flex: 1 1 12rem;\n}",
                        ),
                        Callout(
                            "warning",
                            "min-width: auto",
                            "<p>Flex items will not shrink below their content. Add "
                            "<code>min-width: 0</code> to let long text truncate.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Alignment with gap and justify-content",
                    "Space items evenly and push one item to the far end.",
                    9,
                    (
                        Paragraph(
                            "<p><code>gap</code> puts space between items only, never at the "
                            "edges. To push the last item to the end of a row, give it "
                            "<code>margin-inline-start: auto</code>.</p>"
                        ),
                        Code(
                            "css",
                            ".site-header {\n  display: flex;\n  gap: 1rem;\n}\n"
                            ".site-header .account {\n  margin-inline-start: auto;\n}",
                        ),
                        Callout(
                            "info",
                            "gap beats margins",
                            "<p>Margins on items need <code>:last-child</code> exceptions; "
                            "<code>gap</code> does not.</p>",
                        ),
                    ),
                ),
            ),
        ),
        Module(
            "Grid",
            "Two-dimensional layout: rows and columns at once.",
            (
                Lesson(
                    "Tracks, lines and the fr unit",
                    "Define columns and rows, and share free space with fr.",
                    14,
                    (
                        Paragraph(
                            "<p>A grid is made of <b>tracks</b> (rows and columns) separated by "
                            "numbered <b>lines</b>. The <code>fr</code> unit shares whatever "
                            "space is left after fixed tracks are placed.</p>"
                        ),
                        Figure(
                            "Grid lines and tracks",
                            "Three column tracks and the four numbered lines around them.",
                        ),
                        Code(
                            "css",
                            ".lesson {\n  display: grid;\n  grid-template-columns: 16rem 1fr;\n"
                            "  gap: 2rem;\n}",
                        ),
                        Callout(
                            "tip",
                            "Negative line numbers",
                            "<p><code>grid-column: 1 / -1</code> spans from the first line to the "
                            "last, whatever the number of columns.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Named areas for page layout",
                    "Describe a page layout as a picture with grid-template-areas.",
                    12,
                    (
                        Paragraph(
                            "<p><code>grid-template-areas</code> lets you draw the layout in "
                            "text. Rearranging the page for small screens becomes a matter of "
                            "redrawing the picture inside a media query.</p>"
                        ),
                        Code(
                            "css",
                            ".page {\n  display: grid;\n  grid-template-columns: 15rem 1fr;\n"
                            '  grid-template-areas:\n    "header header"\n    "nav    main"\n'
                            '    "footer footer";\n}\n.page > nav { grid-area: nav; }',
                        ),
                        Callout(
                            "warning",
                            "Visual order is not reading order",
                            "<p>Screen readers follow the HTML, not the grid. Keep the source "
                            "order meaningful.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Responsive grids without media queries",
                    "auto-fill, auto-fit and minmax for grids that adapt on their own.",
                    11,
                    (
                        Paragraph(
                            "<p><code>repeat(auto-fill, minmax(16rem, 1fr))</code> fits as many "
                            "16rem columns as the container allows and stretches them to fill "
                            "the row. One line replaces three breakpoints.</p>"
                        ),
                        Code(
                            "css",
                            ".catalog {\n  display: grid;\n"
                            "  grid-template-columns: repeat(auto-fit, minmax(min(16rem, 100%), 1fr));\n"
                            "  gap: 1.5rem;\n}",
                        ),
                        Callout(
                            "tip",
                            "auto-fill or auto-fit?",
                            "<p>They differ only when there are fewer items than columns: "
                            "<code>auto-fit</code> stretches the items, <code>auto-fill</code> "
                            "keeps empty columns.</p>",
                        ),
                    ),
                ),
            ),
        ),
        Module(
            "Responsive components",
            "Components that adapt to the space they are given.",
            (
                Lesson(
                    "Container queries",
                    "Style a card by the width of its container, not the window.",
                    13,
                    (
                        Paragraph(
                            "<p>A course card sits in a wide grid on the catalog and in a "
                            "narrow sidebar on a lesson page. Container queries let the card "
                            "choose its layout from the space it actually has.</p>"
                        ),
                        Figure(
                            "One card, two containers",
                            "The same card component laid out for a wide and a narrow container.",
                        ),
                        Code(
                            "css",
                            ".card-slot {\n  container-type: inline-size;\n}\n"
                            "@container (min-width: 30rem) {\n  .card {\n    display: grid;\n"
                            "    grid-template-columns: 12rem 1fr;\n  }\n}",
                        ),
                        Callout(
                            "info",
                            "Browser support",
                            "<p>Size container queries work in every browser released since early 2023.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Logical properties",
                    "margin-inline, padding-block and layouts that work in any writing direction.",
                    8,
                    (
                        Paragraph(
                            "<p>Logical properties describe space relative to the text: "
                            "<i>inline</i> is the reading direction and <i>block</i> the "
                            "direction lines stack in. Layouts written this way work for "
                            "right-to-left languages without changes.</p>"
                        ),
                        Code(
                            "css",
                            ".callout {\n  padding-block: 1rem;\n  padding-inline: 1.25rem;\n"
                            "  border-inline-start: 4px solid var(--accent);\n}",
                        ),
                        Callout(
                            "tip",
                            "Start with spacing",
                            "<p>Replace <code>margin-left</code> and <code>padding-top</code> "
                            "first; they are most of the physical properties in a stylesheet.</p>",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

DJANGO = Course(
    slug="django-from-zero",
    title="Django from zero",
    summary=(
        "Build and deploy a complete Django web application (models, views, templates, "
        "forms, login and tests) one working feature at a time."
    ),
    category="Web development",
    level="intermediate",
    language="en",
    tier="silver",
    instructors=(INSTRUCTOR,),
    tags=("python", "django", "web"),
    objectives=(
        "Model data with the Django ORM and migrations",
        "Write views, URLconfs and templates for a real application",
        "Handle forms and validation safely",
        "Add login, permissions and automated tests",
        "Deploy to a Linux server behind gunicorn and nginx",
    ),
    requirements=(
        "Comfortable with Python functions and classes",
        "Some HTML; no previous Django experience needed",
    ),
    body=(
        Paragraph(
            "<p>We build one application across the whole course: <b>Shelf</b>, a reading list "
            "where members track the books they are reading and share reviews. Each lesson "
            "adds one feature and ends with the site running.</p>"
        ),
        Code(
            "python",
            "class Book(models.Model):\n    title = models.CharField(max_length=200)\n"
            "    author = models.CharField(max_length=120)\n"
            "    finished_on = models.DateField(null=True, blank=True)\n\n"
            "    def __str__(self):\n        return self.title",
            caption="The first model of Shelf.",
        ),
        Callout(
            "info",
            "Lessons open in order",
            "<p>This course is sequential: each lesson builds on the code of the one before, "
            "so the next lesson opens when you finish the current one.</p>",
        ),
    ),
    colors=("#0c4b33", "#44b78b"),
    is_sequential=True,
    modules=(
        Module(
            "Project and models",
            "Start the project, model the data and meet the admin.",
            (
                Lesson(
                    "Start a project",
                    "Create the project and app, run the server and follow one request through.",
                    10,
                    (
                        Paragraph(
                            "<p>A Django <i>project</i> holds settings and URLs; <i>apps</i> hold "
                            "features. Every request goes through the same path: URLconf, view, "
                            "template, response.</p>"
                        ),
                        Figure(
                            "The Django request cycle",
                            "A request passes middleware, the URLconf and a view before a response goes back.",
                        ),
                        Code(
                            "bash",
                            "python -m pip install django\ndjango-admin startproject shelf .\n"
                            "python manage.py startapp books\npython manage.py runserver",
                        ),
                        Callout(
                            "tip",
                            "The dot matters",
                            "<p><code>startproject shelf .</code> creates the project in the "
                            "current folder instead of a nested one.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Models and migrations",
                    "Describe tables as classes and let migrations keep the database in step.",
                    15,
                    (
                        Paragraph(
                            "<p>A model class describes a table; <code>makemigrations</code> "
                            "writes the change down as a migration file, and <code>migrate</code> "
                            "applies it. Commit migrations with the code that needs them.</p>"
                        ),
                        Code(
                            "bash",
                            "python manage.py makemigrations books\npython manage.py migrate\n"
                            'python manage.py shell -c "from books.models import Book; print(Book.objects.count())"',
                        ),
                        Callout(
                            "warning",
                            "Never edit an applied migration",
                            "<p>Once a migration has run anywhere else, write a new one instead of "
                            "changing it.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "The admin in five minutes",
                    "Register models and get a working back office for free.",
                    8,
                    (
                        Paragraph(
                            "<p>Django's admin reads your models and builds list, search and "
                            "edit screens. It is for staff, not for the public, and it is good "
                            "enough to run a small business on.</p>"
                        ),
                        Code(
                            "python",
                            "@admin.register(Book)\nclass BookAdmin(admin.ModelAdmin):\n"
                            '    list_display = ["title", "author", "finished_on"]\n'
                            '    search_fields = ["title", "author"]',
                        ),
                        Callout(
                            "info",
                            "Create a superuser",
                            "<p>Run <code>python manage.py createsuperuser</code> to log in at "
                            "<code>/admin/</code>.</p>",
                        ),
                    ),
                ),
            ),
        ),
        Module(
            "Views and templates",
            "Pages that list, show and edit books.",
            (
                Lesson(
                    "Function views and URLconfs",
                    "Map URLs to small functions that return responses.",
                    12,
                    (
                        Paragraph(
                            "<p>A view takes a request and returns a response. Keep it short: "
                            "read the input, ask the models, render a template.</p>"
                        ),
                        Code(
                            "python",
                            "def book_detail(request, pk):\n"
                            "    book = get_object_or_404(Book, pk=pk)\n"
                            '    return render(request, "books/detail.html", {"book": book})\n\n'
                            'urlpatterns = [path("books/<int:pk>/", book_detail, name="book-detail")]',
                        ),
                        Callout(
                            "tip",
                            "Name your URLs",
                            '<p>Use <code>{% url "book-detail" book.pk %}</code> in templates so '
                            "changing a path never breaks a link.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Templates and inheritance",
                    "One base layout, many pages that fill in its blocks.",
                    12,
                    (
                        Paragraph(
                            "<p>A base template defines the page skeleton with named "
                            "<code>{% block %}</code> areas; each page extends it and fills only "
                            "what differs. Django escapes variables by default.</p>"
                        ),
                        Figure(
                            "Template inheritance",
                            "Pages extend a base template and override its named blocks.",
                        ),
                        Code(
                            "html",
                            '{% extends "base.html" %}\n{% block content %}\n'
                            "  <h1>{{ book.title }}</h1>\n  <p>by {{ book.author }}</p>\n{% endblock %}",
                        ),
                        Callout(
                            "warning",
                            "Think twice before |safe",
                            "<p>Marking user input as safe switches off escaping and opens the "
                            "door to cross-site scripting.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Forms that validate",
                    "ModelForms, validation errors and the POST-redirect-GET pattern.",
                    16,
                    (
                        Paragraph(
                            "<p>A <code>ModelForm</code> builds fields from a model, validates "
                            "input and saves it. After a successful POST, redirect, so a browser "
                            "refresh does not submit the form twice.</p>"
                        ),
                        Code(
                            "python",
                            "def add_book(request):\n    form = BookForm(request.POST or None)\n"
                            "    if form.is_valid():\n        book = form.save()\n"
                            "        return redirect(book)\n"
                            '    return render(request, "books/form.html", {"form": form})',
                        ),
                        Callout(
                            "info",
                            "CSRF protection",
                            "<p>Every POST form needs <code>{% csrf_token %}</code>; Django "
                            "rejects the request without it.</p>",
                        ),
                    ),
                ),
            ),
        ),
        Module(
            "Users and shipping",
            "Accounts, tests and a real server.",
            (
                Lesson(
                    "Login and permissions",
                    "Use Django's auth views and keep each member's shelf private.",
                    14,
                    (
                        Paragraph(
                            "<p>Django ships login, logout and password-reset views. Protect "
                            "views with <code>login_required</code> and filter every query by "
                            "the current user, so nobody can read another member's shelf by "
                            "guessing a URL.</p>"
                        ),
                        Code(
                            "python",
                            "@login_required\ndef my_shelf(request):\n"
                            "    books = Book.objects.filter(owner=request.user)\n"
                            '    return render(request, "books/shelf.html", {"books": books})',
                        ),
                        Callout(
                            "warning",
                            "Check ownership on every object",
                            "<p>Use <code>get_object_or_404(Book, pk=pk, owner=request.user)</code> "
                            "in detail and edit views too.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Testing with pytest-django",
                    "Fast tests for models and views that run on every commit.",
                    15,
                    (
                        Paragraph(
                            "<p>pytest-django gives each test a clean database and a test "
                            "client. Test behaviour a user would notice: who can see a page, "
                            "what a form does with bad input.</p>"
                        ),
                        Code(
                            "python",
                            "def test_shelf_hides_other_members_books(client, django_user_model):\n"
                            '    alice = django_user_model.objects.create_user("alice", password="pw")\n'
                            "    client.force_login(alice)\n"
                            '    response = client.get("/shelf/")\n'
                            "    assert response.status_code == 200",
                        ),
                        Callout(
                            "tip",
                            "Name tests as sentences",
                            "<p>A failing <code>test_shelf_hides_other_members_books</code> tells "
                            "you what broke before you open the file.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Deploying with gunicorn and nginx",
                    "Settings for production, static files and a systemd service.",
                    18,
                    (
                        Paragraph(
                            "<p>In production Django runs under gunicorn, nginx sits in front "
                            "for TLS and static files, and every secret comes from the "
                            "environment. <code>manage.py check --deploy</code> lists what is "
                            "still unsafe.</p>"
                        ),
                        Figure(
                            "nginx, gunicorn and Django",
                            "nginx terminates TLS and proxies dynamic requests to gunicorn workers.",
                        ),
                        Code(
                            "bash",
                            "python manage.py collectstatic --noinput\n"
                            "gunicorn shelf.wsgi --workers 3 --bind 127.0.0.1:8001",
                        ),
                        Callout(
                            "warning",
                            "DEBUG off",
                            "<p>Never run with <code>DEBUG = True</code> on a public server: error "
                            "pages show your settings.</p>",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

POSTGRES = Course(
    slug="postgresql-query-tuning",
    title="PostgreSQL query tuning",
    summary=(
        "Read query plans, choose the right index and fix the slow queries that matter, on "
        "PostgreSQL 16 and later."
    ),
    category="Data",
    level="advanced",
    language="en",
    tier="gold",
    instructors=(ADMIN,),
    tags=("sql", "postgresql", "performance"),
    objectives=(
        "Read EXPLAIN ANALYZE output and find the expensive step",
        "Fix bad row estimates with statistics",
        "Design B-tree, partial and expression indexes",
        "Find the queries worth tuning with pg_stat_statements",
    ),
    requirements=(
        "Comfortable writing SQL joins and aggregates",
        "Access to a PostgreSQL 16+ database you may experiment on",
    ),
    body=(
        Paragraph(
            "<p>Slow queries are rarely mysterious once you can read what the planner "
            "decided and why. This course works on a copy of an e-learning database with "
            "twenty million progress events, the same shape as the one that runs Lectern.</p>"
        ),
        Code(
            "sql",
            "EXPLAIN (ANALYZE, BUFFERS)\nSELECT course_id, count(*)\nFROM lesson_progress\n"
            "WHERE updated_at > now() - interval '7 days'\nGROUP BY course_id;",
            caption="The first query we make fast.",
        ),
        Callout(
            "warning",
            "Use a copy",
            "<p>Some exercises create and drop indexes on large tables. Never run them on a "
            "production database.</p>",
        ),
    ),
    colors=("#1e3a5f", "#f4a261"),
    modules=(
        Module(
            "Reading plans",
            "What the planner chose, and why it sometimes chooses badly.",
            (
                Lesson(
                    "EXPLAIN ANALYZE, line by line",
                    "Read a plan from the inside out and find where the time went.",
                    16,
                    (
                        Paragraph(
                            "<p>A plan is a tree: the most indented nodes run first and feed "
                            "their parents. Compare <i>actual time</i> and <i>rows</i> at each "
                            "node to find the step that dominates.</p>"
                        ),
                        Figure(
                            "A query plan as a tree",
                            "Each plan node feeds rows to its parent; time accumulates upwards.",
                        ),
                        Code(
                            "sql",
                            "EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT)\n"
                            "SELECT * FROM enrollment WHERE user_id = 42;",
                        ),
                        Callout(
                            "info",
                            "ANALYZE runs the query",
                            "<p>Wrap data-changing statements in <code>BEGIN; … ROLLBACK;</code> "
                            "when you explain them with ANALYZE.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Row estimates and statistics",
                    "When estimated and actual rows differ, fix the statistics first.",
                    14,
                    (
                        Paragraph(
                            "<p>The planner picks join methods from estimated row counts. A "
                            "hundredfold error usually means stale or too coarse statistics, "
                            "or two columns that are correlated.</p>"
                        ),
                        Code(
                            "sql",
                            "ANALYZE lesson_progress;\n"
                            "CREATE STATISTICS progress_course_lesson (dependencies)\n"
                            "  ON course_id, lesson_id FROM lesson_progress;",
                        ),
                        Callout(
                            "tip",
                            "Look at pg_stats",
                            "<p><code>SELECT * FROM pg_stats WHERE tablename = 'lesson_progress'</code> "
                            "shows what the planner believes about each column.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Joins: nested loop, hash and merge",
                    "How each join method works and when the planner prefers it.",
                    15,
                    (
                        Paragraph(
                            "<p>A nested loop is fast for a few outer rows with an index on the "
                            "inner side; a hash join suits large unsorted inputs; a merge join "
                            "wins when both sides arrive sorted.</p>"
                        ),
                        Code(
                            "sql",
                            "SET enable_hashjoin = off;  -- only in a test session\n"
                            "EXPLAIN ANALYZE SELECT ...;\nRESET enable_hashjoin;",
                        ),
                        Callout(
                            "warning",
                            "Planner switches are for diagnosis",
                            "<p>Turning a join method off shows what the alternative costs; it is "
                            "not a fix to ship.</p>",
                        ),
                    ),
                ),
            ),
        ),
        Module(
            "Indexes that pay",
            "Choose, shape and verify indexes.",
            (
                Lesson(
                    "B-tree indexes and column order",
                    "Equality columns first, then the range: why order decides everything.",
                    14,
                    (
                        Paragraph(
                            "<p>A multicolumn B-tree is sorted by its first column, then the "
                            "second within it, and so on. Put columns compared with "
                            "<code>=</code> first and the range or sort column last.</p>"
                        ),
                        Figure(
                            "Multicolumn B-tree order",
                            "Rows sorted by user, then by date: one index range serves the query.",
                        ),
                        Code(
                            "sql",
                            "CREATE INDEX CONCURRENTLY progress_user_updated_idx\n"
                            "  ON lesson_progress (user_id, updated_at DESC);",
                        ),
                        Callout(
                            "tip",
                            "CONCURRENTLY in production",
                            "<p>It takes longer but does not block writes while the index builds.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Partial and expression indexes",
                    "Index only the rows you query, or the expression you filter on.",
                    12,
                    (
                        Paragraph(
                            "<p>If queries only ever look at active subscriptions, index only "
                            "those rows. If they filter on <code>lower(email)</code>, index the "
                            "expression, not the column.</p>"
                        ),
                        Code(
                            "sql",
                            "CREATE INDEX subscription_active_idx ON subscription (user_id)\n"
                            "  WHERE status = 'active';\n"
                            "CREATE INDEX user_email_lower_idx ON account_user (lower(email));",
                        ),
                        Callout(
                            "info",
                            "The query must match",
                            "<p>The planner uses a partial index only when the query's WHERE "
                            "clause implies the index's condition.</p>",
                        ),
                    ),
                ),
                Lesson(
                    "Finding slow queries with pg_stat_statements",
                    "Tune the queries that cost the most in total, not the slowest one.",
                    13,
                    (
                        Paragraph(
                            "<p>A 2 ms query run a million times a day costs more than a 5 s "
                            "report run once. Sort by total time to see where the database "
                            "really spends its day.</p>"
                        ),
                        Code(
                            "sql",
                            "SELECT calls, round(total_exec_time) AS total_ms,\n"
                            "       round(mean_exec_time, 2) AS mean_ms, query\n"
                            "FROM pg_stat_statements\nORDER BY total_exec_time DESC\nLIMIT 10;",
                        ),
                        Callout(
                            "tip",
                            "Reset after a fix",
                            "<p><code>SELECT pg_stat_statements_reset();</code> gives you a clean "
                            "baseline to measure the improvement.</p>",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

UX_WRITING = Course(
    slug="ux-writing",
    title="Viết nội dung giao diện (UX writing)",
    summary=(
        "Viết nhãn nút, thông báo lỗi và hướng dẫn ngắn gọn, rõ ràng, giúp người dùng hoàn "
        "thành việc của họ mà không phải đoán."
    ),
    category="Design",
    level="beginner",
    language="vi",
    tier="silver",
    instructors=(EDITOR,),
    tags=("ux writing", "design", "content"),
    objectives=(
        "Viết nhãn nút nói rõ hành động sẽ xảy ra",
        "Viết thông báo lỗi giải thích chuyện gì xảy ra và cách khắc phục",
        "Xây dựng bảng giọng văn cho sản phẩm",
        "Kiểm thử nội dung với người dùng thật",
    ),
    requirements=("Không cần kinh nghiệm thiết kế; chỉ cần một sản phẩm bạn muốn cải thiện",),
    body=(
        Paragraph(
            "<p>Chữ trên giao diện là một phần của thiết kế. Khoá học này đi qua những chỗ "
            "người dùng hay vấp nhất trong một ứng dụng đặt vé: nút bấm, biểu mẫu, thông báo lỗi "
            "và màn hình trống, và cách viết lại chúng cho rõ ràng.</p>"
        ),
        Code(
            "json",
            '{\n  "checkout.pay_button": "Thanh toán 450.000 ₫",\n'
            '  "checkout.card_declined": "Thẻ bị từ chối. Hãy thử thẻ khác hoặc chuyển khoản."\n}',
            caption="Chuỗi giao diện nằm trong tệp dịch, không rải rác trong mã.",
        ),
        Callout(
            "tip",
            "Học bằng ví dụ",
            "<p>Mỗi bài có một màn hình thật để bạn viết lại trước khi xem đáp án.</p>",
        ),
    ),
    colors=("#7f4f24", "#ddb892"),
    modules=(
        Module(
            "Nguyên tắc cơ bản",
            "Rõ ràng, ngắn gọn, hữu ích: theo thứ tự đó.",
            (
                Lesson(
                    "Rõ ràng trước, hay sau",
                    "Vì sao một câu rõ ràng quan trọng hơn một câu hay.",
                    9,
                    (
                        Paragraph(
                            "<p>Người dùng không đọc giao diện, họ lướt qua. Một câu chỉ cần "
                            "trả lời: <b>đây là gì</b> và <b>tôi làm gì tiếp theo</b>. Chơi chữ "
                            "và ẩn dụ để dành cho trang giới thiệu.</p>"
                        ),
                        Figure(
                            "Trước và sau khi viết lại",
                            "Cùng một hộp thoại, trước và sau khi viết lại cho rõ ràng.",
                        ),
                        Code(
                            "html",
                            "<!-- Trước -->\n<button>OK</button>\n"
                            "<!-- Sau -->\n<button>Lưu thay đổi</button>",
                        ),
                        Callout(
                            "tip",
                            "Đọc to lên",
                            "<p>Nếu bạn không nói câu đó với một người ngồi cạnh, đừng viết nó "
                            "lên màn hình.</p>",
                        ),
                    ),
                    slug="ro-rang-truoc-hay-sau",
                ),
                Lesson(
                    "Nhãn nút và hành động",
                    "Động từ cụ thể cho biết điều gì sẽ xảy ra khi bấm.",
                    10,
                    (
                        Paragraph(
                            "<p>Nhãn nút tốt bắt đầu bằng động từ và nói kết quả: "
                            "<i>Tải hoá đơn</i>, <i>Đặt 2 vé</i>. Tránh <i>Xác nhận</i> hay "
                            "<i>Tiếp tục</i> khi bạn có thể nói cụ thể hơn.</p>"
                        ),
                        Code(
                            "json",
                            '{\n  "booking.submit": "Đặt 2 vé",\n'
                            '  "booking.cancel": "Huỷ đặt vé",\n  "booking.keep": "Giữ vé"\n}',
                        ),
                        Callout(
                            "warning",
                            "Hộp thoại huỷ",
                            "<p>Đừng dùng <i>Có</i> và <i>Không</i> cho câu hỏi huỷ: người dùng "
                            "phải đọc lại câu hỏi mới biết nút nào giữ vé.</p>",
                        ),
                    ),
                    slug="nhan-nut-va-hanh-dong",
                ),
                Lesson(
                    "Giọng văn của sản phẩm",
                    "Một giọng văn nhất quán, điều chỉnh theo từng tình huống.",
                    8,
                    (
                        Paragraph(
                            "<p>Giọng văn là tính cách của sản phẩm; ngữ điệu thay đổi theo "
                            "tình huống. Khi người dùng vừa mất tiền, hãy nghiêm túc và cụ thể, "
                            "không đùa.</p>"
                        ),
                        Code(
                            "yaml",
                            'giong_van:\n  than_thien: true\n  xung_ho: "bạn"\n'
                            '  tranh: ["thuật ngữ kỹ thuật", "viết hoa cả câu"]',
                        ),
                        Callout(
                            "info",
                            "Xưng hô",
                            "<p>Chọn một cách xưng hô (ví dụ <i>bạn</i>) và dùng nó ở mọi màn hình.</p>",
                        ),
                    ),
                    slug="giong-van-cua-san-pham",
                ),
            ),
            slug="nguyen-tac-co-ban",
        ),
        Module(
            "Viết cho tình huống khó",
            "Lỗi, màn hình trống và những lúc người dùng bối rối.",
            (
                Lesson(
                    "Thông báo lỗi hữu ích",
                    "Chuyện gì đã xảy ra, vì sao, và người dùng làm gì tiếp theo.",
                    12,
                    (
                        Paragraph(
                            "<p>Một thông báo lỗi tốt trả lời ba câu hỏi: chuyện gì đã xảy ra, "
                            "có phải lỗi của tôi không, và tôi làm gì bây giờ. Không đổ lỗi "
                            "cho người dùng, không hiện mã lỗi trần trụi.</p>"
                        ),
                        Figure(
                            "Giải phẫu một thông báo lỗi",
                            "Ba phần của một thông báo lỗi: sự việc, nguyên nhân, cách khắc phục.",
                        ),
                        Code(
                            "json",
                            '{\n  "signup.email_taken": "Email này đã có tài khoản. Đăng nhập hoặc đặt lại mật khẩu."\n}',
                        ),
                        Callout(
                            "warning",
                            "Đừng viết “Đã có lỗi xảy ra”",
                            "<p>Câu đó không giúp ai. Nếu thật sự không biết nguyên nhân, hãy "
                            "nói người dùng nên thử lại hay liên hệ ai.</p>",
                        ),
                    ),
                    slug="thong-bao-loi-huu-ich",
                ),
                Lesson(
                    "Trạng thái trống",
                    "Biến màn hình trống thành bước đầu tiên.",
                    8,
                    (
                        Paragraph(
                            "<p>Màn hình trống là lần đầu người dùng gặp một tính năng. Hãy "
                            "giải thích nơi này sẽ chứa gì và đưa ra một hành động để bắt đầu.</p>"
                        ),
                        Code(
                            "html",
                            "<p>Bạn chưa lưu khoá học nào.</p>\n"
                            '<a href="/courses/">Xem danh sách khoá học</a>',
                        ),
                        Callout(
                            "tip",
                            "Một hành động duy nhất",
                            "<p>Màn hình trống chỉ nên có một nút chính.</p>",
                        ),
                    ),
                    slug="trang-thai-trong",
                ),
                Lesson(
                    "Kiểm thử nội dung với người dùng",
                    "Những phép thử nhanh cho biết chữ của bạn có hiệu quả không.",
                    11,
                    (
                        Paragraph(
                            "<p>Phép thử tô màu: đưa người dùng bản in màn hình, nhờ họ tô xanh "
                            "chỗ dễ hiểu và tô đỏ chỗ khó hiểu. Năm người là đủ để thấy những "
                            "vấn đề lớn.</p>"
                        ),
                        Code(
                            "text",
                            "Nhiệm vụ: Đổi ngày bay của vé đã đặt.\n"
                            "Quan sát: người dùng tìm nút nào đầu tiên? Họ đọc câu nào?",
                        ),
                        Callout(
                            "info",
                            "Đo lường sau khi phát hành",
                            "<p>So sánh tỉ lệ hoàn thành biểu mẫu trước và sau khi sửa nội dung.</p>",
                        ),
                    ),
                    slug="kiem-thu-noi-dung",
                ),
            ),
            slug="viet-cho-tinh-huong-kho",
        ),
    ),
)

COURSES = (PYTHON_DATA, CSS_LAYOUT, DJANGO, POSTGRES, UX_WRITING)


# Blog

BLOG_POSTS = (
    BlogPost(
        slug="how-we-build-a-course",
        title="How we build a course: from outline to first lesson",
        author=EDITOR,
        days_ago=6,
        tags=("teaching", "behind the scenes"),
        summary=(
            "Every Lectern course starts as a one-page outline and a project. Here is the "
            "process we follow before anyone records a video."
        ),
        colors=("#264653", "#2a9d8f"),
        body=(
            Paragraph(
                "<p>Before we write a lesson we write the last exercise: the thing a learner "
                "should be able to build at the end. Everything in the outline must earn its "
                "place by getting the learner closer to that exercise.</p>"
            ),
            Paragraph(
                "<p>The outline then goes to two reviewers, one expert and one person new to "
                "the subject. The expert catches mistakes; the newcomer catches every place we "
                "skipped a step because it felt obvious.</p>"
            ),
            Callout(
                "info",
                "Our lesson budget",
                "<p>Lessons stay under twenty minutes. When one runs longer, it is two lessons.</p>",
            ),
        ),
    ),
    BlogPost(
        slug="five-pandas-habits",
        title="Five pandas habits that save hours",
        author=INSTRUCTOR,
        days_ago=24,
        tags=("python", "pandas", "data analysis"),
        summary="Small habits that make pandas code faster to write, easier to read and safer to rerun.",
        colors=("#0f4c5c", "#e9c46a"),
        body=(
            Paragraph(
                "<p>1. Parse dates when you read the file. 2. Use named aggregations. 3. Chain "
                "methods instead of reassigning the same variable. 4. Check row counts after "
                "every filter. 5. Keep raw data read-only and write results to a new file.</p>"
            ),
            Code(
                "python",
                'summary = (\n    pd.read_csv("orders.csv", parse_dates=["ordered_at"])\n'
                "    .query(\"status == 'paid'\")\n"
                '    .groupby("category")\n'
                '    .agg(revenue=("total", "sum"), orders=("order_id", "nunique"))\n)',
                caption="Habits 1, 2 and 3 together.",
            ),
            Callout(
                "tip",
                "Try it",
                "<p>Rewrite your last notebook cell as a single chain and see how much shorter it gets.</p>",
            ),
        ),
    ),
    BlogPost(
        slug="container-queries-in-production",
        title="Container queries are ready for production",
        author=EDITOR,
        days_ago=47,
        tags=("css", "web"),
        summary="We moved our course cards to container queries. What changed, and what we would do again.",
        colors=("#5b2a86", "#f7b267"),
        body=(
            Paragraph(
                "<p>Our course card appears in four places, each with a different width. With "
                "media queries we needed a modifier class for each place; with container "
                "queries the card decides for itself.</p>"
            ),
            Code(
                "css",
                ".card-slot { container-type: inline-size; }\n"
                "@container (min-width: 28rem) {\n  .card { flex-direction: row; }\n}",
            ),
            Callout(
                "warning",
                "One gotcha",
                "<p>An element cannot query itself: the container must be a parent of the "
                "element you style.</p>",
            ),
        ),
    ),
    BlogPost(
        slug="reading-an-explain-plan",
        title="Reading an EXPLAIN plan: a worked example",
        author=INSTRUCTOR,
        days_ago=75,
        tags=("postgresql", "sql", "performance"),
        summary=(
            "A slow dashboard query, its plan, and the two-column index that took it from "
            "four seconds to twelve milliseconds. For Silver members."
        ),
        colors=("#1e3a5f", "#e76f51"),
        tier="silver",
        body=(
            Paragraph(
                "<p>The learner dashboard listed recent activity with a query that filtered "
                "on <code>user_id</code> and sorted by <code>updated_at</code>. The plan "
                "showed a sequential scan over twenty million rows followed by a sort.</p>"
            ),
            Code(
                "sql",
                "Sort  (actual time=4012.551..4012.560 rows=20 loops=1)\n"
                "  ->  Seq Scan on lesson_progress  (actual time=0.02..3980.11 rows=312 loops=1)\n"
                "        Filter: (user_id = 42)\n        Rows Removed by Filter: 19999688",
            ),
            Paragraph(
                "<p>An index on <code>(user_id, updated_at DESC)</code> lets PostgreSQL read "
                "the twenty newest rows for one user directly, already sorted.</p>"
            ),
            Callout(
                "tip",
                "Go deeper",
                "<p>The Gold course <b>PostgreSQL query tuning</b> covers plans like this one in detail.</p>",
            ),
        ),
    ),
    BlogPost(
        slug="learning-around-a-full-time-job",
        title="Learning to code around a full-time job",
        author=EDITOR,
        days_ago=110,
        tags=("learning", "career"),
        summary="Thirty minutes a day beats a lost weekend. A schedule our learners actually keep.",
        colors=("#3d405b", "#81b29a"),
        body=(
            Paragraph(
                "<p>Most of our learners study after work. The ones who finish courses do not "
                "study more hours; they study more often. Thirty focused minutes on five "
                "weekdays beats four hours every other Sunday.</p>"
            ),
            Paragraph(
                "<p>Pick a fixed time, leave the lesson open where you stopped, and end each "
                "session by writing down the first thing you will do next time.</p>"
            ),
            Callout(
                "info",
                "Resume where you left off",
                "<p>Lectern remembers your position in every video, so a short session never "
                "starts with searching for your place.</p>",
            ),
        ),
    ),
)


# Ebooks: two for Silver members, one for Gold.

EBOOKS = (
    Ebook(
        slug="pandas-field-guide",
        title="The pandas Field Guide",
        subtitle="Recipes for cleaning, reshaping and summarising tabular data",
        author_name="Lê Văn An",
        description=(
            "<p>A compact companion to <b>Python for data analysis</b>: the forty pandas "
            "recipes our learners reach for most, each with a short explanation of when to "
            "use it.</p>"
        ),
        tier="silver",
        colors=("#0f4c5c", "#94d2bd"),
        chapters=(
            Chapter(
                "Loading data",
                (
                    "Most projects start with a file someone exported from another system. "
                    "Read it with explicit types and parsed dates, and check the row count "
                    "against the source before you trust it.",
                    "Large files load faster with only the columns you need: pass usecols, "
                    "and store the cleaned result as Parquet for the next run.",
                    "Excel workbooks often hide several tables on one sheet. Name the sheet "
                    "and the header row explicitly instead of relying on defaults.",
                ),
                'orders = pd.read_csv(\n    "orders.csv",\n    usecols=["order_id", "ordered_at", "total"],\n'
                '    parse_dates=["ordered_at"],\n    dtype={"order_id": "string"},\n)',
            ),
            Chapter(
                "Cleaning",
                (
                    "Decide, column by column, what a missing value means. A missing discount "
                    "is zero; a missing city is unknown. Fill the first, keep the second.",
                    "Convert with errors set to coerce, then count what failed. Silent "
                    "conversion failures are the most common source of wrong totals.",
                    "Drop duplicates on the columns that identify a record, not on every "
                    "column: two identical orders may legitimately differ in a timestamp.",
                ),
                'orders["discount"] = orders["discount"].fillna(0)\n'
                'orders = orders.drop_duplicates(subset=["order_id"])',
            ),
            Chapter(
                "Grouping and reshaping",
                (
                    "Named aggregations produce readable column names and make the intent "
                    "of each summary obvious to the next reader.",
                    "Pivot tables turn long data into the wide tables people read. Keep data "
                    "long while you compute and pivot only at the end.",
                    "Melt does the reverse: it turns a wide export back into long data that "
                    "groupby can work with.",
                ),
                'orders.groupby("category").agg(revenue=("total", "sum"), orders=("order_id", "nunique"))',
            ),
            Chapter(
                "Time series",
                (
                    "Resample turns irregular events into regular periods: daily, weekly or "
                    "monthly totals with one call.",
                    "Rolling windows smooth noisy daily data; a seven-day window removes the "
                    "weekly rhythm of most business data.",
                    "Always state the time zone. Orders placed just after midnight in Hanoi "
                    "belong to the previous day in UTC.",
                ),
                'daily = orders.resample("D", on="ordered_at")["total"].sum()\n'
                "weekly_trend = daily.rolling(7).mean()",
            ),
        ),
    ),
    Ebook(
        slug="css-layout-cookbook",
        title="CSS Layout Cookbook",
        subtitle="Flexbox and Grid patterns for everyday interfaces",
        author_name="Nguyễn Thu Linh",
        description=(
            "<p>Twenty layout patterns, from the holy-grail page to responsive card grids, "
            "each in a few lines of modern CSS with notes on accessibility.</p>"
        ),
        tier="silver",
        colors=("#5b2a86", "#f4acb7"),
        chapters=(
            Chapter(
                "Choosing a layout mode",
                (
                    "Flexbox distributes items along one axis; Grid places them on two. If "
                    "you find yourself fighting Flexbox to line up rows, you wanted Grid.",
                    "Start from the content: a row of buttons is Flexbox, a page skeleton or "
                    "a gallery is Grid.",
                ),
            ),
            Chapter(
                "Page skeletons",
                (
                    "Named grid areas describe a page as a picture. Redraw the picture inside "
                    "a media query to rearrange the page for small screens.",
                    "Keep the HTML in reading order; the grid may place things differently "
                    "on screen, but assistive technology follows the source.",
                ),
                '.page {\n  display: grid;\n  grid-template-areas:\n    "header"\n    "main"\n    "footer";\n}',
            ),
            Chapter(
                "Card grids",
                (
                    "repeat(auto-fill, minmax(16rem, 1fr)) gives a grid that adds and removes "
                    "columns as space allows, with no breakpoints.",
                    "Wrap the minimum in min(16rem, 100%) so a single card never overflows a "
                    "very narrow screen.",
                ),
                ".cards {\n  display: grid;\n  grid-template-columns: repeat(auto-fill, minmax(min(16rem, 100%), 1fr));\n  gap: 1.5rem;\n}",
            ),
            Chapter(
                "Components that adapt",
                (
                    "Container queries let a component respond to the space it is given. "
                    "Mark the slot with container-type: inline-size and query it.",
                    "Combine container queries with logical properties and the same "
                    "component works in sidebars, grids and right-to-left pages.",
                ),
            ),
        ),
    ),
    Ebook(
        slug="postgresql-performance-handbook",
        title="PostgreSQL Performance Handbook",
        subtitle="Plans, indexes and statistics for application developers",
        author_name="Trần Minh",
        description=(
            "<p>The reference behind our Gold course: how the planner thinks, how to read "
            "what it decided, and the indexes that fix the queries applications actually "
            "run.</p>"
        ),
        tier="gold",
        colors=("#1e3a5f", "#f4a261"),
        chapters=(
            Chapter(
                "How the planner decides",
                (
                    "For each query PostgreSQL considers many plans and estimates the cost of "
                    "each from table statistics. It runs the cheapest estimate, not the "
                    "cheapest plan: bad estimates make bad choices.",
                    "Costs are in arbitrary units anchored to reading one page sequentially. "
                    "Compare them between plans for the same query, never across queries.",
                ),
            ),
            Chapter(
                "Reading EXPLAIN ANALYZE",
                (
                    "Read the plan from the most indented node outwards. At each node compare "
                    "estimated rows with actual rows; the first large mismatch is usually "
                    "where the trouble starts.",
                    "BUFFERS shows how many pages came from memory and how many from disk. "
                    "A query that is fast on the second run was mostly waiting for disk.",
                ),
                "EXPLAIN (ANALYZE, BUFFERS)\nSELECT * FROM enrollment WHERE user_id = 42;",
            ),
            Chapter(
                "Indexes",
                (
                    "Put equality columns first in a multicolumn index and the range or sort "
                    "column last. One well-ordered index often replaces three single-column "
                    "ones.",
                    "Partial indexes cover only the rows queries touch, such as active "
                    "subscriptions, and stay small and fast to update.",
                    "Every index slows down writes and uses memory. Drop the ones "
                    "pg_stat_user_indexes shows are never scanned.",
                ),
                "CREATE INDEX CONCURRENTLY progress_user_updated_idx\n"
                "  ON lesson_progress (user_id, updated_at DESC);",
            ),
            Chapter(
                "Finding what to tune",
                (
                    "pg_stat_statements aggregates every query shape. Sort by total execution "
                    "time: a fast query called constantly can cost more than a slow report.",
                    "Measure before and after each change, and change one thing at a time.",
                ),
                "SELECT calls, round(total_exec_time) AS total_ms, query\n"
                "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10;",
            ),
        ),
    ),
)
