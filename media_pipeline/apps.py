from django.apps import AppConfig


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = "Video"

    def ready(self) -> None:
        from . import (
            cleanup,  # noqa: F401  (connects the file-deleting receivers)
            gate,
        )

        gate.connect()
