"""`manage.py check` refuses a signing key that cannot sign (before a learner finishes a course)."""

from django.conf import settings
from django.core import checks

from .keys import SigningKeyError, parse_signing_key


@checks.register(checks.Tags.security)
def signing_key_is_usable(app_configs, **kwargs):
    try:
        parse_signing_key(settings.CERTIFICATE_SIGNING_KEY)
    except SigningKeyError as error:
        return [
            checks.Error(
                str(error), hint="Set CERTIFICATE_SIGNING_KEY (see .env.example).", id="certificates.E001"
            )
        ]
    return []
