from django_otp.oath import totp

from tests.factories import TOTPDeviceFactory

from .axe import assert_no_axe_violations

PASSWORD = "motdepasse-solide-42"


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(page, user, check_axe=True):
    """Real login: email + password, then the TOTP code of the user's device."""
    device = user.totpdevice_set.filter(confirmed=True).first() or TOTPDeviceFactory(user=user)
    page.goto("/compte/connexion/")
    if check_axe:
        assert_no_axe_violations(page)
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/connexion/code/**")
    if check_axe:
        assert_no_axe_violations(page)
    page.get_by_label("Code à 6 chiffres").fill(current_code(device))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_load_state()
