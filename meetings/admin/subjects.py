"""A passage's subjects in the admin: the goals the summary names, those the Secretariat tags, the suggestions.

One form serves the paragraph page's passages and the passage page: the goals offered are those of the
Call for Action in force on the meeting's date, named and tagged are two rows of checkboxes, and the
importer's suggestions are listed with a box that tags them all at once.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..goals import framework_in_force
from ..models import Passage, PriorityGoal
from ..subjects import passage_confirm_suggestions, passage_set_subjects


class PassageSubjectsForm(forms.ModelForm):
    """Adds `named_goals`, `tagged_goals` and `confirm_suggestions` to a passage's form."""

    named_goals = forms.ModelMultipleChoiceField(
        PriorityGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Goals the summary names"),
        help_text=_("Where the text says “priority goal 1”."),
    )
    tagged_goals = forms.ModelMultipleChoiceField(
        PriorityGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Subjects tagged by the Secretariat"),
        help_text=_("What the passage is about, where it names no goal: read it against the goals' texts."),
    )
    confirm_suggestions = forms.BooleanField(
        required=False, label=_("Tag the suggested subjects"), help_text=_("Suggested from the passage's words.")
    )

    class Meta:
        model = Passage
        fields = ["paragraph", "order", "kind", "text", "speakers", "official", "mentions", "regions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = getattr(getattr(self.instance, "paragraph", None), "meeting", None)
        framework = framework_in_force(meeting.start_date if meeting else None)
        goals = PriorityGoal.objects.filter(framework=framework) if framework else PriorityGoal.objects.none()
        for name in ("named_goals", "tagged_goals"):
            self.fields[name].queryset = goals
        if self.instance.pk:
            links = list(self.instance.goal_links.all())
            self.initial["named_goals"] = [link.prioritygoal_id for link in links if link.is_named]
            self.initial["tagged_goals"] = [link.prioritygoal_id for link in links if not link.is_named]
            suggestions = list(self.instance.goal_suggestions.select_related("goal"))
        else:
            suggestions = []
        if suggestions:
            self.fields["confirm_suggestions"].help_text = _("Suggested: %(list)s.") % {
                "list": "; ".join(f"{s.goal.number}. {s.goal.title} ({s.words})" for s in suggestions)
            }
        else:
            self.fields["confirm_suggestions"].disabled = True
            self.fields["confirm_suggestions"].help_text = _("No suggestion.")

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("named_goals") or []) & set(cleaned.get("tagged_goals") or [])
        if both:
            self.add_error(
                "tagged_goals",
                _("A goal the summary names is not tagged as well: %(goals)s.")
                % {"goals": ", ".join(str(goal) for goal in sorted(both, key=lambda goal: goal.number))},
            )
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        passage_set_subjects(
            passage=self.instance,
            named=self.cleaned_data.get("named_goals") or [],
            tagged=self.cleaned_data.get("tagged_goals") or [],
        )
        if self.cleaned_data.get("confirm_suggestions"):
            passage_confirm_suggestions(passage=self.instance)


SUBJECT_FIELDS = ["named_goals", "tagged_goals", "confirm_suggestions"]


@admin.action(description=_("Tag the suggested subjects of the selected passages"), permissions=["change"])
def confirm_suggested_subjects(modeladmin, request, queryset):
    count = sum(passage_confirm_suggestions(passage=passage) for passage in queryset)
    modeladmin.message_user(
        request,
        ngettext("%(count)d subject tagged.", "%(count)d subjects tagged.", count) % {"count": count},
        messages.SUCCESS,
    )
