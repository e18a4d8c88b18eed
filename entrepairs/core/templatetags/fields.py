"""``{% load fields %}``: a form field's widget with the house's Bootstrap classes.

``{{ field|styled }}`` renders the widget with ``form-control`` (text, number, date, textarea,
file), ``form-select`` (lists) or ``form-check-input`` (a checkbox), unless the form already
gave it a ``form-…`` class, and links it to its help text and its errors (aria-describedby), so
that every form of the project looks finished without each form setting classes itself.
"""

from django import forms, template

register = template.Library()


def widget_class(widget) -> str | None:
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return None  # rendered choice by choice (templates/_choice_fieldset.html)
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    if isinstance(widget, forms.HiddenInput):
        return None
    return "form-control"


@register.filter
def styled(field):
    """The bound field's widget, classed and described (see module doc)."""
    widget = field.field.widget
    attrs = {}
    existing = widget.attrs.get("class", "")
    wanted = widget_class(widget)
    if wanted and "form-" not in existing:
        attrs["class"] = f"{existing} {wanted}".strip()
    described = (
        [] if widget.attrs.get("aria-describedby") is None else [widget.attrs["aria-describedby"]]
    )
    if not described:
        if field.help_text:
            described.append(f"{field.auto_id}_helptext")
        if field.errors:
            described.append(f"{field.auto_id}_error")
        if described:
            attrs["aria-describedby"] = " ".join(described)
    html = field.as_widget(attrs=attrs)
    if field.field.show_hidden_initial:  # as ``{{ field }}`` does
        html += field.as_hidden(only_initial=True)
    return html
