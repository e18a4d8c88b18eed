from django import forms
from django.utils.translation import gettext_lazy as _

from entrepairs.core.forms import PlausibleFormMixin


class TokenForm(PlausibleFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres de votre application d'authentification"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
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
