import pytest
from django.core.exceptions import ValidationError

from sasaeai.accounts.actions import grant_role
from sasaeai.accounts.models import Role, RoleAssignment
from sasaeai.accounts.scope import scope_of
from sasaeai.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_role_with_the_wrong_kind_of_scope_is_refused_and_nothing_is_stored(personas):
    user = UserFactory()
    with pytest.raises(ValidationError):
        grant_role(user=user, role=Role.COUNCIL_STAFF, center=personas.okayama_center)
    with pytest.raises(ValidationError):
        grant_role(user=user, role=Role.CENTER_STAFF)
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_the_same_role_cannot_be_granted_twice(personas):
    with pytest.raises(ValidationError):
        grant_role(user=personas.council, role=Role.COUNCIL_STAFF, municipality_code="332038")


def test_scope_collects_every_role_of_a_user(personas):
    grant_role(
        user=personas.council, role=Role.CORPORATION_STAFF, corporation=personas.own_corporation
    )
    personas.council.refresh_from_db()
    scope = scope_of(personas.council)
    assert scope.municipality_codes == {"332038"}
    assert scope.corporation_ids == {personas.own_corporation.pk}
    assert not scope.is_center_staff


def test_an_inactive_user_has_no_scope(personas):
    personas.center.is_active = False
    assert not scope_of(personas.center).is_authenticated
