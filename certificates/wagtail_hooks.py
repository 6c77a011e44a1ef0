from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import CertificatePermissionPolicy, CertificateViewSet
from .models import Certificate

# Before the viewset asks for the model's policy, or Wagtail makes a default one.
register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


@hooks.register("register_admin_viewset")
def register_certificates_admin():
    return CertificateViewSet("certificates_admin", url_prefix="certificates")
