"""The register cannot go stale: every field whose name suggests personal data is in it or
declared not personal, and every registered field and path exists."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from sasaeai.core import privacy
from sasaeai.core.privacy import Person
from sasaeai.privacy.finding import find

PERSONAL_NAME = re.compile(
    r"(^|_)(name|kana|email|mail|phone|tel|fax|address|birth|birthday|born|age|ages|gender|"
    r"sex|note|notes|comment|comments|contact|people|person|representative|message|by|donor|"
    r"reference|text|minutes|remarks)($|_)"
)


def undeclared(candidates) -> list[str]:
    """Text fields whose names suggest personal data, neither registered nor declared not
    personal."""
    missing = []
    for model in candidates:
        for f in model._meta.concrete_fields:
            text = isinstance(f, models.CharField | models.TextField)
            if (
                text
                and PERSONAL_NAME.search(f.name)
                and not privacy.is_declared(model._meta.label, f.name)
            ):
                missing.append(f"{model._meta.label}.{f.name}")
    return missing


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("sasaeai.")]


def test_every_field_that_may_hold_personal_data_is_registered_or_declared_not_personal():
    assert undeclared(project_models()) == []


@isolate_apps("sasaeai.privacy")
def test_a_new_field_named_like_personal_data_fails_the_check():
    class Volunteer(models.Model):
        phone_number = models.CharField(max_length=20)
        birth_date_note = models.TextField()
        size = models.CharField(max_length=3)

        def __str__(self) -> str:
            return self.phone_number

    assert undeclared([Volunteer]) == [
        "privacy.Volunteer.phone_number",
        "privacy.Volunteer.birth_date_note",
    ]


def test_every_registered_field_exists_on_its_model():
    for holding in privacy.holdings():
        model = holding.model_class
        for f in holding.fields:
            model._meta.get_field(f.name)  # raises when the register names a gone field
        assert holding.prefecture_paths and holding.identified_by


@pytest.mark.django_db
def test_every_holding_can_be_searched(regions):
    """Every path of the register resolves: one query per holding, nothing found."""
    person = Person(email="nobody@example.jp", name="無名 氏", phone="000", reference="X-1")
    assert find(person, "33") == []


def test_the_register_covers_the_people_the_center_deals_with():
    models_ = {h.model for h in privacy.holdings()}
    assert {
        "accounts.User",
        "events.Registration",
        "surveys.Answer",
        "publishing.Subscriber",
        "stockyard.Household",
        "members.Corporation",
        "casebook.Consent",
        "grants.Application",
    } <= models_
