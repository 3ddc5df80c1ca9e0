"""A meeting's documents in the admin: uploaded, checked by their content and size, their text extracted."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..documents import ALLOWED, document_fill, human_size, max_bytes
from ..models import Document


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["meeting", "kind", "title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = ", ".join(sorted({kind.label.split(" ")[0] for kind in ALLOWED}))
        self.fields["file"].help_text = _("%(kinds)s; up to %(limit)s. Checked by its content, not its name.") % {
            "kinds": kinds,
            "limit": human_size(max_bytes()),
        }

    def clean(self):
        cleaned = super().clean()
        uploaded = self.files.get(self.add_prefix("file")) if self.files else None
        if uploaded is not None:
            try:
                document_fill(self.instance, uploaded)
            except ValidationError as error:
                self.add_error("file", error)
            else:
                cleaned["file"] = self.instance.file
        return cleaned


class DocumentInline(admin.TabularInline):
    model = Document
    form = DocumentForm
    fields = ["kind", "title", "file", "content_type", "size"]
    readonly_fields = ["content_type", "size"]
    extra = 0
    verbose_name_plural = _("documents: agenda, presentations, outcome documents, the original summary")
