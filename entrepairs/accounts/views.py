from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from entrepairs.core.access import public, signed_in

from .forms import LoginForm, TokenForm
from .middleware import SESSION_KEY
from .models import Membership
from .throttling import allow, client_address


def _safe_next(request, default="home:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse(default)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_success_url(self):
        """Whoever has an invitation waiting sees it first (then goes on where they were going)."""
        url = super().get_success_url()
        invitations = reverse("accounts:invitations")
        if (
            not url.startswith(invitations)
            and Membership.objects.pending_for(self.request.user).exists()
        ):
            return f"{invitations}?{urlencode({'next': url})}"
        return url


@public
def login_view(request):
    return LoginView.as_view()(request)


@signed_in
def otp_verify(request):
    """Second step of the login: a TOTP code. Users without a device are sent to set one up."""
    if request.user.is_verified():
        return HttpResponseRedirect(_safe_next(request))
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(
            f"{reverse('accounts:otp_setup')}?{urlencode({'next': _safe_next(request)})}"
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request))
        form.add_error("token", _("Ce code n'est pas valide ou a expiré. Réessayez."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})


@signed_in
def otp_setup(request):
    """Enrol a TOTP device: show the QR code (SVG, server-side) and confirm with a first code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Application d'authentification"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Double authentification activée."))
            return HttpResponseRedirect(_safe_next(request))
        form.add_error("token", _("Ce code n'est pas valide. Vérifiez l'heure de votre téléphone."))
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).to_string(
        encoding="unicode"
    )
    context = {
        "form": form,
        "qr_svg": svg,
        "secret": device.bin_key.hex(),
        "next": _safe_next(request),
    }
    return render(request, "accounts/otp_setup.html", context)


@signed_in
@require_POST
def switch_organisation(request):
    """Change the membership the user acts with; only one of their own active memberships."""
    wanted = request.POST.get("membership", "")
    membership = next((m for m in request.memberships if str(m.pk) == wanted), None)
    if membership is None:
        messages.error(request, _("Cette organisation ne fait pas partie de vos rattachements."))
        return redirect("home:home")
    request.session[SESSION_KEY] = membership.pk
    messages.success(
        request,
        _("Vous agissez maintenant pour %(org)s, en tant que %(role)s.")
        % {"org": membership.organisation, "role": membership.get_role_display()},
    )
    return redirect("home:home")


logout_view = signed_in(auth_views.LogoutView.as_view())

password_reset_form = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_form.html",
    extra_context={"heading": _lazy("Mot de passe oublié")},
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)


@public
def password_reset(request):
    """Django's reset form, limited per address (429) and per email (no more emails, the same
    answer): see ``accounts.throttling``. The limits count what was typed, whether an account
    has that email or not, so the answer never tells whether one does."""
    if request.method == "POST":
        if not allow(
            "reset-address", client_address(request), settings.PASSWORD_RESETS_PER_ADDRESS
        ):
            return render(request, "accounts/too_many_requests.html", status=429)
        email = request.POST.get("email", "").strip().lower()
        if not allow("reset-email", email, settings.PASSWORD_RESETS_PER_EMAIL):
            return redirect("accounts:password_reset_done")
    return password_reset_form(request)


password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_form.html",
        extra_context={"heading": _lazy("Choisir un mot de passe")},
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)
