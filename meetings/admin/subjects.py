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
    """Adds `goals` (named), `tagged_goals` and `confirm_suggestions` to a passage's form; the kind may be left out.

    `goals` keeps the name it had when every goal of a passage was named by its summary.
    """

    goals = forms.ModelMultipleChoiceField(
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

    # Set by SubjectFieldsMixin.get_formset for the rows of one paragraph: its meeting's goals, found once.
    offered_goals = None

    class Meta:
        model = Passage
        fields = ["paragraph", "order", "kind", "text", "speakers", "official", "mentions", "regions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            # Left out, a passage keeps its kind (a new one is a statement): older forms and scripts still save.
            self.fields["kind"].required = False
        goals = self.offered_goals if self.offered_goals is not None else _goals_offered(self.instance)
        for name in ("goals", "tagged_goals"):
            self.fields[name].queryset = goals
        if self.instance.pk:
            links = list(self.instance.goal_links.all())
            self.initial["goals"] = [link.prioritygoal_id for link in links if link.is_named]
            self.initial["tagged_goals"] = [link.prioritygoal_id for link in links if not link.is_named]
            suggestions = list(self.instance.goal_suggestions.all())
        else:
            suggestions = []
        if suggestions:
            self.fields["confirm_suggestions"].help_text = _("Suggested: %(list)s.") % {
                "list": "; ".join(f"{s.goal.number}. {s.goal.title} ({s.words})" for s in suggestions)
            }
        else:
            self.fields["confirm_suggestions"].disabled = True
            self.fields["confirm_suggestions"].help_text = _("No suggestion.")

    @staticmethod
    def _named_now(obj) -> list:
        links = obj.goal_links.select_related("prioritygoal")
        return [link.prioritygoal for link in links if link.is_named]

    def clean_kind(self):
        return self.cleaned_data.get("kind") or self.instance.kind or Passage.Kind.STATEMENT

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("goals") or []) & set(cleaned.get("tagged_goals") or [])
        if both:
            self.add_error(
                "tagged_goals",
                _("A goal the summary names is not tagged as well: %(goals)s.")
                % {"goals": ", ".join(str(goal) for goal in sorted(both, key=lambda goal: goal.number))},
            )
        return cleaned

    def _save_m2m(self):
        # `goals` is saved here, with its provenance, not by the model form's own m2m saving.
        named = self.cleaned_data.pop("goals", None)
        try:
            super()._save_m2m()
        finally:
            self.cleaned_data["goals"] = named
        passage_set_subjects(
            passage=self.instance,
            named=self.cleaned_data.get("goals") or [],
            tagged=self.cleaned_data.get("tagged_goals") or [],
        )
        if self.cleaned_data.get("confirm_suggestions"):
            passage_confirm_suggestions(passage=self.instance)


SUBJECT_FIELDS = ["goals", "tagged_goals", "confirm_suggestions"]


class SubjectFieldsMixin:
    """Gives an admin its `fields` through get_fields: `goals` is a form field of its own here (the admin's
    system check refuses a many-to-many field with a through model in a static `fields`)."""

    subject_fields: list[str] = []

    def get_fields(self, request, obj=None):
        return self.subject_fields

    def get_formset(self, request, obj=None, **kwargs):
        """For an inline of a paragraph's passages: the goals offered are read once, not once per row."""
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form.offered_goals = _goals_offered(Passage(paragraph=obj))
        return formset


def _goals_offered(passage: Passage):
    """The goals of the Call for Action in force on the passage's meeting's date, found once per meeting.

    The rows of a paragraph's page share one meeting object: the framework is looked up for the first.
    """
    meeting = getattr(getattr(passage, "paragraph", None), "meeting", None)
    if meeting is None:
        framework = framework_in_force(None)
    else:
        if "_framework_in_force" not in meeting.__dict__:
            meeting.__dict__["_framework_in_force"] = framework_in_force(meeting.start_date)
        framework = meeting.__dict__["_framework_in_force"]
    return PriorityGoal.objects.filter(framework=framework) if framework else PriorityGoal.objects.none()


@admin.action(description=_("Tag the suggested subjects of the selected passages"), permissions=["change"])
def confirm_suggested_subjects(modeladmin, request, queryset):
    count = sum(passage_confirm_suggestions(passage=passage) for passage in queryset)
    modeladmin.message_user(
        request,
        ngettext("%(count)d subject tagged.", "%(count)d subjects tagged.", count) % {"count": count},
        messages.SUCCESS,
    )
