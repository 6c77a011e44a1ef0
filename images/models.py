"""Our image model, swapped in before the first migration so fields can be added later
without a painful data move (Wagtail's advice for custom image models)."""

from django.db import models

from wagtail.images.models import AbstractImage, AbstractRendition, Image


class LecternImage(AbstractImage):
    alt_text = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describes the image for people using screen readers.",
    )
    credit = models.CharField(max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "alt_text", "credit")

    @property
    def default_alt_text(self):
        return self.alt_text or self.title


class LecternRendition(AbstractRendition):
    image = models.ForeignKey(LecternImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
