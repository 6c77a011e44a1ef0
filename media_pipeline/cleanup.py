"""Deleting a Video (or a caption) deletes its stored files.

Runs after the transaction commits, so a rolled-back delete never loses files, and works
for admin bulk deletes too (they send post_delete for every row).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import storage as store
from .models import Video, VideoCaption


def delete_video_files(public_id, source_name: str = "") -> int:
    """Every build, every source version and every caption of a video; returns files deleted."""
    deleted = store.delete_prefix(store.video_root(public_id))
    deleted += store.delete_prefix(store.source_folder(public_id))
    deleted += store.delete_prefix(f"video-captions/{public_id}/")
    if source_name and not source_name.startswith(store.source_folder(public_id)):
        store.delete_name(source_name)
        deleted += 1
    return deleted


@receiver(post_delete, sender=Video, dispatch_uid="media_pipeline.video_files")
def _video_deleted(sender, instance: Video, **kwargs) -> None:
    public_id, source = instance.public_id, instance.source.name if instance.source else ""
    transaction.on_commit(lambda: delete_video_files(public_id, source))


@receiver(post_delete, sender=VideoCaption, dispatch_uid="media_pipeline.caption_file")
def _caption_deleted(sender, instance: VideoCaption, **kwargs) -> None:
    name = instance.file.name if instance.file else ""
    if name:
        transaction.on_commit(lambda: store.delete_name(name))
