"""Personal data in the content Wagtail keeps: who owns, locks, edits, comments on and
reviews pages, the admin's own editing state, and the site's contact address (see
privacy.registry). The content stays when a staff account goes; the person leaves it."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import declare, delete_owned, detach, owned_rows


def _detach_pages(context):
    detach("wagtailcore.Page", owner="owner")(context)
    return detach("wagtailcore.Page", owner="locked_by", locked=False, locked_at=None)(context)


def _detach_comments(context):
    detach("wagtailcore.Comment", owner="resolved_by")(context)
    return delete_owned("wagtailcore.Comment")(context)


_CONTENT = _("The content stays; the account is removed from it.")

declare(
    "wagtailcore.Page",
    fields=["owner", "locked_by"],
    purpose=_("Who created and who locked a page."),
    retention=_("While the page exists."),
    area="content",
    export=owned_rows("wagtailcore.Page", "title", "first_published_at", owner="owner"),
    erase=_detach_pages,
    on_erasure=_CONTENT,
)
declare(
    "home.BlogPage",
    fields=["author"],
    purpose=_("The staff author of a blog post, shown with it."),
    retention=_("While the post exists."),
    area="content",
    export=owned_rows("home.BlogPage", "title", owner="author"),
    erase=detach("home.BlogPage", owner="author"),
    on_erasure=_CONTENT,
)
declare(
    "wagtailcore.Revision",
    fields=["user"],
    purpose=_("Who saved each revision of a page or snippet."),
    retention=_("While the revision exists."),
    area="content",
    export=owned_rows("wagtailcore.Revision", "object_str", "created_at"),
    erase=detach("wagtailcore.Revision"),
    on_erasure=_CONTENT,
)
declare(
    "wagtailcore.Comment",
    fields=["user", "resolved_by"],
    purpose=_("Comments staff leave on pages in the editor."),
    retention=_("While the page exists."),
    area="content",
    export=owned_rows("wagtailcore.Comment", "text", "created_at"),
    erase=_detach_comments,
    on_erasure=_("Deleted with their replies."),
)
declare(
    "wagtailcore.CommentReply",
    fields=["user"],
    purpose=_("Replies to editor comments."),
    retention=_("While the page exists."),
    area="content",
    export=owned_rows("wagtailcore.CommentReply", "text", "created_at"),
    erase=delete_owned("wagtailcore.CommentReply"),
    on_erasure=_("Deleted."),
)
declare(
    "wagtailcore.PageSubscription",
    fields=["user"],
    purpose=_("Pages whose comments a staff member follows."),
    retention=_("While the account exists."),
    area="content",
    erase=delete_owned("wagtailcore.PageSubscription"),
    on_erasure=_("Deleted."),
)
declare(
    "wagtailcore.WorkflowState",
    fields=["requested_by"],
    purpose=_("Who submitted a page for moderation."),
    retention=_("While the page exists."),
    area="content",
    erase=detach("wagtailcore.WorkflowState", owner="requested_by"),
    on_erasure=_CONTENT,
)
declare(
    "wagtailcore.TaskState",
    fields=["finished_by"],
    purpose=_("Who approved or rejected a moderation task."),
    retention=_("While the page exists."),
    area="content",
    erase=detach("wagtailcore.TaskState", owner="finished_by"),
    on_erasure=_CONTENT,
)
declare(
    "wagtailcore.UploadedFile",
    fields=["uploaded_by_user"],
    purpose=_("A file being uploaded in the admin, before it becomes an image or document."),
    retention=_("Until the upload finishes."),
    area="content",
    erase=delete_owned("wagtailcore.UploadedFile", owner="uploaded_by_user"),
    on_erasure=_("Deleted."),
)
declare(
    "wagtailadmin.EditingSession",
    fields=["user"],
    purpose=_("Who is editing a page right now, to warn others."),
    retention=_("Minutes."),
    area="content",
    erase=delete_owned("wagtailadmin.EditingSession"),
    on_erasure=_("Deleted."),
)
declare(
    "wagtailadmin.FormState",
    fields=["user"],
    purpose=_("An unsaved admin form, kept so a staff member does not lose their work."),
    retention=_("Until saved or discarded."),
    area="content",
    erase=delete_owned("wagtailadmin.FormState"),
    on_erasure=_("Deleted."),
)
declare(
    "home.SiteSettings",
    fields=["contact_email"],
    purpose=_("The site's public contact address: the business's, not a person's data."),
    retention=_("While set."),
    area="content",
    personal=False,
)
declare(
    "wagtailembeds.Embed",
    fields=["author_name"],
    purpose=_("The author credit of an embedded video or post, from its provider: public content."),
    retention=_("While the embed is cached."),
    area="content",
    personal=False,
)
