"""The administration (/gestion/) logs every read and change of records, and never shows a
TOTP secret: an administrator who could read a user's key could compute that user's codes."""

import base64

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.urls import reverse
from django_otp.oath import totp

from entrepairs.core.models import AccessEvent
from tests.factories import TOTPDeviceFactory
from tests.utils import last_access
from tests.workforce.factories import MissionCharterFactory

pytestmark = pytest.mark.django_db


def label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def lockout_row(client, world):
    """A failed login of peer_a: the lockout log holds their email and address."""
    client.post(
        reverse("accounts:login"), {"username": world.user("peer_a").email, "password": "x"}
    )
    return AccessAttempt.objects.get()


@pytest.mark.parametrize("model", list(admin.site._registry), ids=label)
def test_every_admin_list_logs_the_rows_it_shows(world, lockout_row, model):
    """Every model the administration lists, today's and tomorrow's (the site audits every
    registration, third-party ones included)."""
    response = world.client("admin").get(admin_url(model, "changelist"))
    assert response.status_code == 200
    event = last_access(label(model))
    assert event is not None, f"{label(model)} : liste non journalisée"
    assert (event.action, event.user) == ("list", world.user("admin"))
    if model is AccessAttempt:
        assert event.object_ids == [lockout_row.pk]


def test_lockout_log_record_page_logs_the_view(world, lockout_row):
    response = world.client("admin").get(admin_url(AccessAttempt, "change", lockout_row.pk))
    assert response.status_code == 200
    assert world.user("peer_a").email in response.content.decode()
    event = last_access("axes.accessattempt")
    assert (event.action, event.object_ids) == ("view", [lockout_row.pk])


def test_access_log_of_a_login_is_logged_when_read(world, client):
    user = world.user("coordinator_a")
    client.post(
        reverse("accounts:login"), {"username": user.email, "password": "motdepasse-solide-42"}
    )
    row = AccessLog.objects.get(username=user.email)
    world.client("admin").get(admin_url(AccessLog, "change", row.pk))
    assert last_access("axes.accesslog").object_ids == [row.pk]


def test_charter_page_logs_the_view_and_its_change_the_update(world):
    charter = MissionCharterFactory(peer=world.peer("peer_a"))
    client = world.client("admin")
    url = admin_url(type(charter), "change", charter.pk)
    assert client.get(url).status_code == 200
    assert last_access("workforce.missioncharter").action == "view"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {"share_individual": "40", "share_groups": "40", "share_institutional": "20"}
    data |= {
        "signatures-TOTAL_FORMS": "0",
        "signatures-INITIAL_FORMS": "0",
        "signatures-MIN_NUM_FORMS": "0",
        "signatures-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = last_access("workforce.missioncharter")
    assert (event.action, event.object_ids) == ("update", [charter.pk])


def test_delete_confirmation_and_deletion_are_logged(world, lockout_row):
    client = world.client("admin")
    url = admin_url(AccessAttempt, "delete", lockout_row.pk)
    assert client.get(url).status_code == 200
    assert last_access("axes.accessattempt").action == "view"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    event = last_access("axes.accessattempt")
    assert (event.action, event.object_ids) == ("delete", [lockout_row.pk])


def secrets_of(device):
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"
    return [device.key, base64.b32encode(device.bin_key).decode(), code]


def test_admin_never_shows_another_users_totp_secret(world):
    device = TOTPDeviceFactory(user=world.user("coordinator_a"))
    client = world.client("admin")
    for url in (
        admin_url(type(device), "changelist"),
        admin_url(type(device), "change", device.pk),
    ):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert not any(secret in body for secret in secrets_of(device)), url
        assert "qrcode" not in body.lower() and "/config/" not in body
    assert last_access("otp_totp.totpdevice").object_ids == [device.pk]
    assert 'name="key"' not in body


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_totp_config_and_qr_code_pages_are_gone(world, view):
    device = TOTPDeviceFactory(user=world.user("coordinator_a"))
    url = f"{admin_url(type(device), 'changelist')}{device.pk}/{view}/"
    response = world.client("admin").get(url)
    assert response.status_code == 404
    assert not any(secret in response.content.decode() for secret in secrets_of(device))


def test_admin_can_neither_add_a_device_nor_write_a_key(world):
    device = TOTPDeviceFactory(user=world.user("coordinator_a"))
    client = world.client("admin")
    assert client.get(admin_url(type(device), "add")).status_code == 403
    key_before = device.key
    response = client.post(
        admin_url(type(device), "change", device.pk),
        {
            "user": device.user_id,
            "name": "x",
            "key": "00" * 20,
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "throttling_failure_count": 0,
        },
    )
    assert response.status_code == 403
    device.refresh_from_db()
    assert device.key == key_before


def test_admin_may_delete_a_lost_device(world):
    device = TOTPDeviceFactory(user=world.user("coordinator_a"))
    response = world.client("admin").post(
        admin_url(type(device), "delete", device.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not type(device).objects.filter(pk=device.pk).exists()
    assert AccessEvent.objects.filter(object_type="otp_totp.totpdevice", action="delete").exists()
