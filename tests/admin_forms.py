"""Turn an admin change page into the POST data its “Save” button would send, as a browser would."""

from django.forms import MultiWidget


def _add_form(data: dict, form) -> None:
    for name, field in form.fields.items():
        bound = form[name]
        if field.show_hidden_initial:
            # The value the field had when the page was opened, hidden beside it (as the page sends it).
            if form.is_bound and bound.html_initial_name in form.data:
                initial = form.data.getlist(bound.html_initial_name)
                data[bound.html_initial_name] = initial if len(initial) != 1 else initial[0]
            else:
                _add_value(data, bound.html_initial_name, field, bound.initial)
        _add_value(data, form.add_prefix(name), field, bound.value())


def _add_value(data: dict, key: str, field, value) -> None:
    widget = getattr(field.widget, "widget", field.widget)  # inside the admin's related-widget wrapper
    if isinstance(widget, MultiWidget):
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        for index, part in enumerate(parts or ()):  # decompress() gives a list (None in django-stubs' word)
            data[f"{key}_{index}"] = "" if part is None else str(part)
    elif value is None:
        return
    elif isinstance(value, bool):
        if value:
            data[key] = "on"
    elif isinstance(value, list | tuple):
        data[key] = [str(getattr(item, "pk", item)) for item in value]
    else:
        data[key] = str(value)


def change_form_data(response, **changes) -> dict:
    """The data of the page's form and all its inlines, with `changes` applied (names with inline prefixes)."""
    data: dict = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    data.update(changes)
    return data
