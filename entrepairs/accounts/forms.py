from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from entrepairs.core.forms import PlausibleFormMixin


class LoginForm(PlausibleFormMixin, AuthenticationForm):
    """Django's login form, with its address length checked before any authentication:
    Django only sets ``maxlength`` on the widget, so a 200 KiB address reached
    ``authenticate()`` and django-axes, whose 255-character column refused it on PostgreSQL.

    Its messages are our own: Django's French one, built from the field's name, read
    "Saisissez un adresse e-mail et un mot de passe valides"."""

    error_messages = {
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez : "
            "le mot de passe distingue majuscules et minuscules."
        ),
        "inactive": _(
            "Ce compte est désactivé. Adressez-vous à la coordination de votre programme."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Saisissez votre adresse e-mail.")
        self.fields["password"].error_messages["required"] = _("Saisissez votre mot de passe.")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        limit = self.fields["username"].max_length
        self.fields["username"].validators.append(
            MaxLengthValidator(limit, _("Cette adresse est trop longue."))
        )


class TokenForm(PlausibleFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres de votre application d'authentification"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                # The page asks for nothing else: the code is typed at once.
                "autofocus": True,
            }
        ),
        error_messages={
            "required": _("Saisissez le code à 6 chiffres."),
            "min_length": _("Le code compte 6 chiffres."),
            "max_length": _("Le code compte 6 chiffres."),
        },
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not (token.isascii() and token.isdigit()):  # "²".isdigit() is True
            raise forms.ValidationError(_("Le code ne contient que des chiffres."))
        return token
