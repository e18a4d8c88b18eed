"""Forms of the prevention plan. Plain French, every section optional and short; views save
only after ``is_valid()``, in one transaction."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entrepairs.accompaniment.forms import show_limit
from entrepairs.core.forms import PlausibleFormMixin

from .models import (
    SECTION_MAX_LENGTH,
    SECTIONS,
    PsychiatristComment,
    Recipient,
    RecipientKind,
    TrustedPerson,
    WishesRespected,
)

PHONE = re.compile(r"^[0-9+ .()-]{4,25}$")
NAME_MAX = 120


TOO_LONG = _("Écrivez au plus %(limit_value)d caractères (il y en a %(show_value)d).")


class AccessibleForm(PlausibleFormMixin, forms.Form):
    """Bootstrap classes, and aria-describedby / aria-invalid for help and errors. Text limits
    are shown and counted (``static/js/char-counter.js``) and enforced by the server with a
    message, never by the browser's ``maxlength`` (it cuts a pasted text without a word)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            show_limit(field)

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")
            described = [f"id_{name}_helptext"] if field.help_text else []
            if self.is_bound and name in self.errors:
                described.append(f"id_{name}_error")
                widget.attrs["aria-invalid"] = "true"
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)


def short_text(label, help_text, max_length=SECTION_MAX_LENGTH, rows=3):
    """An optional text in a few lines (a section of the plan, a note)."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": TOO_LONG},
    )


def one_line(label, help_text, max_length=NAME_MAX, missing=None):
    """A short text on one line (a name, a phone number); required when ``missing`` gives
    the message for an empty one."""
    errors = {"max_length": TOO_LONG}
    if missing:
        errors["required"] = missing
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(missing),
        max_length=max_length,
        error_messages=errors,
    )


def day_field(label, missing=None):
    """A past or present date, typed or picked; required when ``missing`` gives the message
    for an empty one."""
    errors = {"invalid": _("Écrivez une date, par exemple 12/03/2025.")}
    if missing:
        errors["required"] = missing
    return forms.DateField(
        label=label,
        required=bool(missing),
        validators=[not_in_future],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=errors,
    )


def confirmation(label, message=None):
    """The box that makes an act deliberate (sign, revoke, share)."""
    return forms.BooleanField(
        label=label,
        error_messages={"required": message or _("Cochez la case pour confirmer.")},
    )


def not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("La date ne peut pas être dans le futur."))


class DraftForm(AccessibleForm):
    """The draft, section by section, with the personne de confiance and the pocket card."""

    version_id = forms.IntegerField(widget=forms.HiddenInput)
    revision = forms.IntegerField(widget=forms.HiddenInput)
    card_contact_name = one_line(
        _("Sur ma carte : qui appeler"),
        _("Par exemple : « ma sœur Julie » ou « le CMP de mon quartier »."),
    )
    card_contact_phone = one_line(
        _("Sur ma carte : son numéro de téléphone"), _("Par exemple : 06 12 34 56 78."), 25
    )
    trusted_name = one_line(
        _("Ma personne de confiance : son nom"),
        _(
            "Quelqu'un qui peut vous accompagner et parler pour vous si vous ne pouvez pas "
            "le faire (article L1111-6 du code de la santé publique). Par exemple : « Julie "
            "Martin »."
        ),
    )
    trusted_relationship = one_line(
        _("Qui est-ce pour vous"),
        _("Par exemple : « ma sœur », « un ami », « mon médecin traitant »."),
    )
    trusted_contact = one_line(_("Comment la joindre"), _("Par exemple : 06 12 34 56 78."))
    trusted_agreement = forms.ChoiceField(
        label=_("Son accord"),
        help_text=_("La personne de confiance doit être d'accord. La loi demande qu'elle cosigne."),
        required=False,
        choices=[("", _("pas encore demandé"))] + list(TrustedPerson.AgreementMeans.choices),
    )
    trusted_agreed_on = day_field(_("Date de son accord"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections = {code: short_text(title, help_text) for code, title, help_text in SECTIONS}
        for field in sections.values():
            show_limit(field)
        # Sections first, then the card and the personne de confiance.
        self.fields = {**sections, **self.fields}

    @property
    def section_fields(self):
        return [self[code] for code, _t, _h in SECTIONS]

    @property
    def trusted_fields(self):
        return [self[name] for name in self.fields if name.startswith("trusted_")]

    @property
    def card_fields(self):
        return [self["card_contact_name"], self["card_contact_phone"]]

    def clean_card_contact_phone(self):
        phone = self.cleaned_data["card_contact_phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("Écrivez un numéro de téléphone, avec des chiffres : par exemple 06 12 34 56 78.")
            )
        return phone

    def clean(self):
        data = super().clean()
        name = data.get("trusted_name", "")
        agreement = data.get("trusted_agreement", "")
        others = [data.get("trusted_relationship"), data.get("trusted_contact"), agreement]
        if not name and (any(others) or data.get("trusted_agreed_on")):
            self.add_error(
                "trusted_name", _("Écrivez le nom de la personne de confiance, ou videz ces cases.")
            )
        if agreement and not data.get("trusted_agreed_on") and "trusted_agreed_on" in data:
            self.add_error("trusted_agreed_on", _("Écrivez la date de son accord."))
        if data.get("trusted_agreed_on") and not agreement:
            self.add_error("trusted_agreement", _("Dites comment elle a donné son accord."))
        if data.get("card_contact_phone") and not data.get("card_contact_name"):
            self.add_error("card_contact_name", _("Écrivez aussi qui répond à ce numéro."))
        return data

    def section_texts(self) -> dict:
        codes = [code for code, _t, _h in SECTIONS] + ["card_contact_name", "card_contact_phone"]
        return {code: self.cleaned_data.get(code, "") for code in codes}


class SignInPersonForm(AccessibleForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    confirm = confirmation(
        _("La personne a relu son plan et le signe, ici, avec moi."),
        _("Cochez la case pour confirmer la signature."),
    )


class SignFromSpaceForm(AccessibleForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    confirm = confirmation(_("J'ai relu mon plan. Je le signe."), _("Cochez la case pour signer."))


class RevokeForm(AccessibleForm):
    confirm = confirmation(_("La personne retire son plan : il ne doit plus être suivi."))


class RevokeFromSpaceForm(AccessibleForm):
    confirm = confirmation(_("Je retire mon plan. Personne ne pourra plus le lire."))


class RecipientForm(AccessibleForm):
    kind = forms.ChoiceField(
        label=_("Qui est-ce ?"),
        choices=[("", "—")] + list(RecipientKind.choices),
        error_messages={"required": _("Choisissez qui reçoit le plan.")},
    )
    name = one_line(
        _("Son nom"),
        _("Par exemple : « Dr Martin, CMP de Lille » ou « ma sœur Julie »."),
        missing=_("Écrivez le nom de la personne ou de l'équipe."),
    )
    means = forms.ChoiceField(
        label=_("Comment la personne a choisi ce partage"),
        choices=[c for c in Recipient.ConsentMeans.choices if c[0] != "person_space"],
        initial=Recipient.ConsentMeans.ORAL,
    )
    confirm = confirmation(
        _("La personne a choisi de partager son plan avec ce destinataire."),
        _("Cochez la case : c'est la personne qui choisit."),
    )


class CrisisForm(AccessibleForm):
    crisis_on = day_field(_("Date de la crise"), missing=_("Écrivez la date de la crise."))
    respected = forms.ChoiceField(
        label=_("Les souhaits de la personne ont-ils été respectés ?"),
        choices=WishesRespected.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une réponse.")},
    )
    why = short_text(
        _("Pourquoi ?"),
        _(
            "Obligatoire si les souhaits n'ont pas été respectés, ou en partie. Par exemple : "
            "« pas de place à la clinique choisie »."
        ),
        max_length=500,
    )

    def __init__(self, *args, signed_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_on = signed_on

    def clean(self):
        data = super().clean()
        respected = data.get("respected")
        if respected in (WishesRespected.PARTLY, WishesRespected.NOT) and not data.get("why"):
            self.add_error("why", _("Expliquez en quelques mots pourquoi."))
        day = data.get("crisis_on")
        if day and self.signed_on and day < self.signed_on:
            self.add_error(
                "crisis_on", _("La crise ne peut pas être avant la signature du plan consulté.")
            )
        return data


class CommentForm(AccessibleForm):
    stance = forms.ChoiceField(
        label=_("Votre avis sur ce plan"),
        choices=PsychiatristComment.Stance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez votre avis.")},
    )
    text = short_text(
        _("Votre commentaire"),
        _("Obligatoire en cas de désaccord : dites sur quel point, et pourquoi."),
        max_length=1000,
        rows=4,
    )

    def clean(self):
        data = super().clean()
        if data.get("stance") == PsychiatristComment.Stance.DISAGREE and not data.get("text"):
            self.add_error("text", _("Expliquez votre désaccord : c'est obligatoire."))
        return data


class PersonNotesForm(AccessibleForm):
    notes = short_text(
        _("Ce que je voudrais changer"),
        _(
            "Vous en parlerez à votre prochaine rencontre. Par exemple : « ajouter mon "
            "nouveau numéro », « je ne veux plus de tel médicament »."
        ),
        max_length=1000,
        rows=4,
    )
