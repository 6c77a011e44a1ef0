"""Every model that holds personal data says so in its app's privacy.py."""

from django.apps import apps
from django.db import models

import pytest

from privacy import registry
from privacy.exporting import schema


def test_every_model_linked_to_a_person_is_declared():
    """A new model with a link to the user, or an email, name or address field, fails
    here until its app declares it (purpose, retention, export, erasure)."""
    assert registry.undeclared_models() == {}


def test_every_personal_looking_field_of_a_declared_model_is_listed():
    assert registry.undeclared_fields() == {}


def test_declared_personal_data_says_how_it_is_erased_and_why():
    for declaration in registry.declarations():
        assert str(declaration.purpose) and str(declaration.retention), declaration.model
        if declaration.personal:
            assert declaration.erase is not None, f"{declaration.model} has no erase function"
            assert str(declaration.on_erasure), declaration.model
        for name in declaration.fields:
            declaration.model_class._meta.get_field(name)  # raises if the field does not exist


def test_third_party_models_are_covered_too():
    declared = {item.model for item in registry.declarations()}
    for label in [
        "account.EmailAddress",
        "mfa.Authenticator",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "token_blacklist.OutstandingToken",
        "wagtailcore.PageLogEntry",
        "wagtailcore.ModelLogEntry",
        "api.IdempotencyKey",
    ]:
        assert apps.get_model(label)._meta.label in declared


def test_a_new_model_with_an_email_field_is_caught():
    class Newsletter(models.Model):
        contact_email = models.EmailField()

        class Meta:
            app_label = "privacy"

        def __str__(self):
            return self.contact_email

    try:
        assert "privacy.Newsletter" in registry.undeclared_models()
    finally:
        apps.all_models["privacy"].pop("newsletter", None)
        apps.clear_cache()


def test_things_named_name_are_not_people():
    assert registry.personal_fields(apps.get_model("memberships.Tier")) == []


@pytest.mark.parametrize("area", list(registry.AREAS))
def test_the_shipped_schema_knows_every_area(area):
    assert area in schema()["properties"]["area"]["enum"]
