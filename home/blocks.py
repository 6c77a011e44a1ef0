"""StreamField blocks shared by every page type that has a body.

Their templates live in templates/components/streamfield/blocks/; template logic
lives in the StructValue classes here, not in template tags.
"""

from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

CODE_LANGUAGES = [
    ("python", "Python"),
    ("javascript", "JavaScript"),
    ("typescript", "TypeScript"),
    ("html", "HTML"),
    ("css", "CSS"),
    ("bash", "Shell"),
    ("sql", "SQL"),
    ("json", "JSON"),
    ("yaml", "YAML"),
    ("text", "Plain text"),
]


class CodeValue(blocks.StructValue):
    @cached_property
    def highlighted(self):
        """Server-side highlighting: works without JavaScript and ships no highlighter."""
        try:
            lexer = get_lexer_by_name(self.get("language") or "text")
        except ClassNotFound:
            lexer = get_lexer_by_name("text")
        return mark_safe(highlight(self.get("code") or "", lexer, HtmlFormatter(nowrap=True)))  # noqa: S308 - pygments escapes its input


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(choices=CODE_LANGUAGES, default="python")
    caption = blocks.CharBlock(required=False)
    code = blocks.TextBlock()

    class Meta:
        icon = "code"
        template = "components/streamfield/blocks/code_block.html"
        value_class = CodeValue


CALLOUT_STYLES = {
    "info": ("i", _("Note")),
    "tip": ("★", _("Tip")),
    "warning": ("!", _("Warning")),
}


class CalloutValue(blocks.StructValue):
    """The callout's symbol and default heading come from its kind, not the template."""

    @cached_property
    def style(self):
        return CALLOUT_STYLES.get(self.get("kind"), CALLOUT_STYLES["info"])

    @property
    def symbol(self) -> str:
        return self.style[0]

    @property
    def heading(self) -> str:
        return self.get("title") or self.style[1]


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", "Info"), ("tip", "Tip"), ("warning", "Warning")], default="info"
    )
    title = blocks.CharBlock(required=False)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "code", "ul", "ol"])

    class Meta:
        icon = "help"
        template = "components/streamfield/blocks/callout_block.html"
        value_class = CalloutValue


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "components/streamfield/blocks/image_block.html"

    def get_api_representation(self, value, context=None):
        """An image as an app shows it: a rendition's URL (absolute when the request is known),
        its size and its alt text."""
        image = value.get("image")
        if image is None:
            return {"image": None, "caption": value.get("caption") or ""}
        rendition = image.get_rendition(API_IMAGE_RENDITION)
        request = (context or {}).get("request")
        return {
            "image": {
                "id": image.pk,
                "url": request.build_absolute_uri(rendition.url) if request else rendition.url,
                "width": rendition.width,
                "height": rendition.height,
                "alt": getattr(image, "alt_text", "") or image.title,
            },
            "caption": value.get("caption") or "",
        }


class DownloadValue(blocks.StructValue):
    @cached_property
    def label(self):
        return self.get("title") or self.get("document").title


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, help_text="Defaults to the document's title.")

    class Meta:
        icon = "download"
        template = "components/streamfield/blocks/download_block.html"
        value_class = DownloadValue

    def get_api_representation(self, value, context=None):
        """The document's title and its /documents/ URL, which asks the policy again
        whoever follows it (documents.access)."""
        document = value.get("document")
        return {
            "title": value.label if document is not None else value.get("title") or "",
            "document": None
            if document is None
            else {"id": document.pk, "title": document.title, "url": document.url},
        }


API_IMAGE_RENDITION = "max-1200x1200"
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "link", "ol", "ul", "code", "blockquote", "hr"]


class BodyBlock(blocks.StreamBlock):
    """The standard body: what an editor can put in any page's main column."""

    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    image = ImageBlock()
    code = CodeBlock()
    callout = CalloutBlock()
    embed = EmbedBlock(icon="media", template="components/streamfield/blocks/embed_block.html")
    download = DownloadBlock()

    class Meta:
        template = "components/streamfield/blocks/body.html"
