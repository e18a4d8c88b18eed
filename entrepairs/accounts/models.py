from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from entrepairs.core.roles import MANAGER_ROLES, PERSONAL_DATA_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = _("utilisateur·rice")

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def needs_second_factor(self) -> bool:
        """True when one of the user's active memberships can see personal data."""
        return self.is_superuser or any(
            m.role in PERSONAL_DATA_ROLES for m in self.memberships.filter(is_active=True)
        )


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, membership):
        """Memberships of the manager's own organisation; nothing for any other role."""
        if membership is None or membership.role not in MANAGER_ROLES:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)


class Membership(models.Model):
    """A user's role in one organisation. Deactivated, never deleted (audit rows point here)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        "territory.Organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    facilities = models.ManyToManyField(
        "territory.Facility",
        blank=True,
        related_name="memberships",
        verbose_name=_("dispositifs"),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} – {self.organisation}"

    def has_role(self, *roles) -> bool:
        return self.role in roles


class ProConnectIdentity(Device):
    """A ProConnect (OpenID Connect) identity bound to an account: ``sub`` of ``issuer``.

    Bound at the first sign-in, through the provider's verified email and only to an account
    with an active membership (``accounts.oidc``); later sign-ins match on ``sub`` alone.
    It is also the django-otp device that stands for a second factor asserted by the provider
    (acr/amr of the signed ID token): it never accepts a typed code.
    """

    issuer = models.CharField(max_length=200)
    sub = models.CharField(max_length=255)
    bound_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("identité ProConnect")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "sub"], name="proconnect_identity_sub"),
            models.UniqueConstraint(fields=["user", "issuer"], name="proconnect_identity_user"),
        ]

    def verify_token(self, token):
        return False
