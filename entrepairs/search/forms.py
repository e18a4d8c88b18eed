from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from entrepairs.core.forms import PlausibleFormMixin

from .matching import query_words

MAX_LENGTH = 100
MIN_LENGTH = 2
NUL_MESSAGE = _("La recherche contient un caractère non autorisé : retapez-la.")


class SearchForm(PlausibleFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Mots à rechercher"),
        # No max_length on the field: a longer text gets our message, not a truncation.
        strip=True,
        error_messages={"required": _("Saisissez un mot à rechercher.")},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's own message for a NUL character, in the words of this page.
        self.fields["q"].validators = [ProhibitNullCharactersValidator(message=NUL_MESSAGE)]

    def clean_q(self):
        query = self.cleaned_data["q"]
        if "\x00" in query:
            raise forms.ValidationError(NUL_MESSAGE)
        if len(query) > MAX_LENGTH:
            raise forms.ValidationError(
                _("La recherche est limitée à %(n)s caractères : raccourcissez-la.")
                % {"n": MAX_LENGTH}
            )
        words = query_words(query)
        if not words or max(len(word) for word in words) < MIN_LENGTH:
            raise forms.ValidationError(
                _("Saisissez au moins %(n)s lettres ou chiffres à la suite.") % {"n": MIN_LENGTH}
            )
        self.cleaned_data["words"] = words
        return query
