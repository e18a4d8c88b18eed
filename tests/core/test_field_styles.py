"""``{{ field|styled }}`` gives every widget the house's class and links help and errors."""

from django import forms

from entrepairs.core.templatetags.fields import styled


class Sample(forms.Form):
    name = forms.CharField(label="Nom", help_text="Tel que la personne le souhaite")
    kind = forms.ChoiceField(choices=[("a", "A")])
    agree = forms.BooleanField(required=False)
    own = forms.CharField(widget=forms.TextInput(attrs={"class": "form-control-lg big"}))


def test_each_widget_gets_its_class():
    form = Sample()
    assert 'class="form-control"' in styled(form["name"])
    assert 'class="form-select"' in styled(form["kind"])
    assert 'class="form-check-input"' in styled(form["agree"])
    assert 'class="form-control-lg big"' in styled(form["own"])  # the form's own class kept


def test_help_and_errors_are_linked():
    form = Sample(data={"kind": "a"})
    assert not form.is_valid()
    html = styled(form["name"])
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_kind' not in styled(form["kind"])
