from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self):
        from . import checks, receivers  # noqa: F401  (connects the course_completed receiver)
