"""Bad codes on the second-factor pages, which the form fuzzer cannot reach: its personas have
already passed the second factor (tests/test_bad_input_fuzz.py)."""

import pytest
from django.urls import reverse

from entrepairs.core.roles import Role
from tests.factories import MembershipFactory, TOTPDeviceFactory, UserFactory

BAD_CODES = ["²²²²²²", "٣٣٣٣٣٣", "12\x0034", "9" * 5000, "1" + "0" * 29, "", "1e5"]


@pytest.mark.parametrize("code", BAD_CODES)
def test_a_bad_code_is_refused_in_french_and_does_not_verify(client, world, code):
    user = UserFactory()
    MembershipFactory(user=user, organisation=world.org_a, role=Role.PEER)
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    response = client.post(reverse("accounts:otp_verify"), {"token": code})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get(reverse("home:home"))["Location"].startswith(reverse("accounts:otp_verify"))
    device.refresh_from_db()
    assert device.confirmed


@pytest.mark.parametrize("code", BAD_CODES)
def test_a_bad_code_at_enrolment_confirms_nothing(client, world, code):
    user = UserFactory()
    MembershipFactory(user=user, organisation=world.org_a, role=Role.PEER)
    client.force_login(user)
    client.get(reverse("accounts:otp_setup"))
    response = client.post(reverse("accounts:otp_setup"), {"token": code})
    assert response.status_code == 200
    assert not user.totpdevice_set.filter(confirmed=True).exists()


def test_a_200_kib_address_at_login_is_a_form_error_and_writes_nothing(client, world):
    """Django's login form does not check the address length: axes stored it, and its
    255-character column made PostgreSQL answer 500."""
    from axes.models import AccessAttempt

    response = client.post(
        reverse("accounts:login"), {"username": "x" * 200 * 1024, "password": "motdepasse"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["Cette adresse est trop longue."]
    assert not AccessAttempt.objects.exists()
