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

    def pending_for(self, user):
        """Invitations ``user`` has not answered yet."""
        return self.filter(user=user, invitation=Membership.Invitation.PENDING)

    def visible_to(self, membership):
        """Memberships of the manager's own organisation; nothing for any other role."""
        if membership is None or membership.role not in MANAGER_ROLES:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)


class Membership(models.Model):
    """A user's role in one organisation. Deactivated, never deleted (audit rows point here).

    A membership made by a team invitation is pending, hence inactive, until the invited
    person, signed in to their own account, accepts it. Until then the organisation knows only
    what the inviter typed (``invited_first_name``, ``invited_last_name``, the address).
    """

    class Invitation(models.TextChoices):
        ACCEPTED = "accepted", _("acceptée")
        PENDING = "pending", _("en attente")
        DECLINED = "declined", _("refusée")
        CANCELLED = "cancelled", _("annulée")

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
    invitation = models.CharField(
        _("invitation"), max_length=10, choices=Invitation.choices, default=Invitation.ACCEPTED
    )
    invited_first_name = models.CharField(
        _("prénom saisi à l'invitation"), max_length=100, blank=True
    )
    invited_last_name = models.CharField(_("nom saisi à l'invitation"), max_length=100, blank=True)
    invited_at = models.DateTimeField(_("invitée le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
            # Nobody acts for an organisation they were invited to before accepting.
            models.CheckConstraint(
                condition=models.Q(invitation="accepted") | models.Q(is_active=False),
                name="membership_active_only_when_accepted",
                violation_error_message=_(
                    "Un accès ne devient actif qu'une fois l'invitation acceptée."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} – {self.organisation}"

    @property
    def is_accepted(self) -> bool:
        return self.invitation == self.Invitation.ACCEPTED

    @property
    def team_name(self) -> str:
        """The name the organisation's managers see: the account's own name once the person
        accepted, until then only what the inviter typed (never the name of an account that
        existed elsewhere)."""
        if self.is_accepted:
            return self.user.get_full_name() or self.user.email
        typed = f"{self.invited_first_name} {self.invited_last_name}".strip()
        return typed or self.team_email

    @property
    def team_email(self) -> str:
        """The address as the inviter typed it (lower case) until the invitation is accepted."""
        return self.user.email if self.is_accepted else self.user.email.lower()

    def has_role(self, *roles) -> bool:
        return self.role in roles


class RateLimitHit(models.Model):
    """One request counted by a rate limit (``accounts.throttling``): which limit, a keyed
    hash of what it limits (a network address, an email address), never the value itself."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self):
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"


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
