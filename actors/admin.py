"""The admin for countries, organisations, their institutions, groups, people and regions.

Written for the Secretariat's policy officers: fieldsets say in plain words which fields apply to
which kind of actor, and autocomplete boxes only suggest the kinds of actor that fit the field.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, F
from django.db.models.functions import Concat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .languages import content_languages, iso_country_name
from .models import Actor, Person, Position, Region

Kind = Actor.Kind

# The kinds of actor an autocomplete box suggests, per (app label, model name, field name) of the
# field being filled. Only the suggestions are narrowed; the model's constraints do the validation.
AUTOCOMPLETE_KINDS = {
    ("actors", "actor", "parent"): (Kind.COUNTRY, Kind.ORGANISATION),
    ("actors", "position", "actor"): (Kind.INSTITUTION, Kind.ORGANISATION),
    ("meetings", "participation", "actor"): (Kind.COUNTRY, Kind.ORGANISATION),
    ("meetings", "participation", "represented_by"): (Kind.INSTITUTION,),
    ("meetings", "passage", "speakers"): (Kind.COUNTRY, Kind.ORGANISATION, Kind.GROUP),
}


def view_on_site_url(obj):
    """The public page of an object, or nothing (no "View on site" button) when it has none."""
    return obj.get_absolute_url()


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "actor_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(actor_count=Count("actors"))

    @admin.display(description=_("actors"), ordering="actor_count")
    def actor_count(self, obj):
        return obj.actor_count


class ActorForm(forms.ModelForm):
    """Puts the kind-dependent errors next to the field they concern, and writes ISO codes in capitals."""

    class Meta:
        model = Actor
        fields = [
            "kind",
            "name",
            "slug",
            "short_name",
            "other_names",
            "website",
            "regions",
            "iso_code",
            "organisation_kind",
            "parent",
            "members",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = self.instance.names or {}
        for code, _language in content_languages():
            for key in ("name", "short_name"):
                self.initial.setdefault(f"{key}_{code}", (names.get(code) or {}).get(key, ""))
            iso = iso_country_name(self.instance.iso_code, code) if self.instance.iso_code else None
            if iso:
                self.fields[f"name_{code}"].help_text = _("Empty: its ISO 3166 name, “%(name)s”.") % {"name": iso}

    def save(self, commit=True):
        names = {}
        for code, _language in content_languages():
            entered = {
                key: self.cleaned_data.get(f"{key}_{code}", "").strip()
                for key in ("name", "short_name")
                if self.cleaned_data.get(f"{key}_{code}", "").strip()
            }
            if entered:
                names[code] = entered
        self.instance.names = names or None
        return super().save(commit)

    def clean_iso_code(self):
        return self.cleaned_data["iso_code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        iso_code = cleaned.get("iso_code", "")
        if kind == Kind.COUNTRY and not iso_code:
            self.add_error("iso_code", _("A country needs its two-letter ISO code, e.g. “CZ”."))
        elif kind != Kind.COUNTRY and iso_code:
            self.add_error("iso_code", _("Only countries have an ISO code: leave it empty."))
        if kind != Kind.ORGANISATION and cleaned.get("organisation_kind"):
            self.add_error("organisation_kind", _("Only organisations have a type of organisation: leave it empty."))
        parent = cleaned.get("parent")
        if kind == Kind.INSTITUTION and not parent and "parent" not in self.errors:
            self.add_error("parent", _("An institution belongs to a country or an organisation: choose one."))
        elif kind != Kind.INSTITUTION and parent:
            self.add_error("parent", _("Only institutions belong to a country or organisation: leave it empty."))
        elif parent and parent.kind not in (Kind.COUNTRY, Kind.ORGANISATION):
            self.add_error("parent", _("An institution belongs to a country or an organisation."))
        members = cleaned.get("members")
        if kind != Kind.GROUP and members is not None and members.exists():
            self.add_error("members", _("Only groups have members: leave the list empty."))
        return cleaned


def _in_language(label, language: str):
    """A label naming a language, translated when it is shown (the form's fields are made at import)."""
    return lazy(lambda: str(label) % {"language": language}, str)()


def _language_fields() -> dict[str, forms.Field]:
    """One name and one short name per content language (settings.LANGUAGES): entered once, in the actor's form."""
    fields: dict[str, forms.Field] = {}
    for code, language in content_languages():
        fields[f"name_{code}"] = forms.CharField(
            label=_in_language(_("Name in %(language)s"), language),
            required=False,
            max_length=200,
            help_text=_("Its official name in that language; empty: the English name, marked as English."),
        )
        fields[f"short_name_{code}"] = forms.CharField(
            label=_in_language(_("Short name in %(language)s"), language), required=False, max_length=50
        )
    return fields


ActorForm.declared_fields.update(_language_fields())
ActorForm.base_fields.update(ActorForm.declared_fields)


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    form = ActorForm
    list_display = ["name", "kind", "code", "parent"]
    list_filter = ["kind", "regions", "organisation_kind"]
    # An institution is also found by its country or organisation: "Hungary" finds Hungary's ministries.
    search_fields = ["name", "short_name", "other_names", "=iso_code", "parent__name", "parent__short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["members", "regions"]
    view_on_site = staticmethod(view_on_site_url)
    fieldsets = [
        (
            None,
            {
                "fields": ["kind", "name", "slug", "short_name", "other_names", "website", "regions"],
                "description": _(
                    "Every actor has a kind, a name and a page address (the slug, filled in from the name). "
                    "The sections below apply to one kind each: leave the others empty."
                ),
            },
        ),
        (
            _("Names in other languages"),
            {
                "fields": [],  # one name and one short name per content language: see get_fieldsets
                "description": _("Each name is entered once and shown wherever the actor is named in that language."),
            },
        ),
        (
            _("Countries"),
            {"fields": ["iso_code"], "description": _("Only for countries: the ISO code is required for them.")},
        ),
        (
            _("Organisations"),
            {
                "fields": ["organisation_kind"],
                "description": _("Only for organisations, such as ICMPD, IOM or the European Commission."),
            },
        ),
        (
            _("Institutions"),
            {
                "fields": ["parent"],
                "description": _(
                    "Only for institutions (a ministry, an agency or a department): "
                    "the country or organisation it belongs to is required for them."
                ),
            },
        ),
        (
            _("Groups"),
            {
                "fields": ["members"],
                "description": _(
                    "Only for groups of actors that speak together, such as “the EU Member States”: "
                    "the countries and organisations in the group."
                ),
                "classes": ["collapse"],
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        language_fields = [f"{key}_{code}" for code, _language in content_languages() for key in ("name", "short_name")]
        return [
            (title, {**options, "fields": language_fields}) if options.get("fields") == [] else (title, options)
            for title, options in self.fieldsets
        ]

    @admin.display(description=_("ISO code or acronym"), ordering=Concat(F("iso_code"), F("short_name")))
    def code(self, obj):
        return obj.iso_code or obj.short_name

    def get_queryset(self, request):
        # An institution's name shows its country or organisation: list and autocomplete need the parent.
        # (Django ignores list_select_related once get_queryset selects anything, so it is done here.)
        return super().get_queryset(request).select_related("parent")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            kwargs["queryset"] = Actor.objects.filter(kind__in=[Kind.COUNTRY, Kind.ORGANISATION])
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            key = (request.GET.get("app_label"), request.GET.get("model_name"), request.GET.get("field_name"))
            kinds = AUTOCOMPLETE_KINDS.get(key)
            if kinds:
                queryset = queryset.filter(kind__in=kinds)
        return queryset, may_have_duplicates


class PositionInline(admin.TabularInline):
    model = Position
    fields = ["title", "actor", "start_date", "end_date"]
    autocomplete_fields = ["actor"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "actor__parent")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "honorific", "position_count"]
    search_fields = ["name", "positions__title"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["honorific", "name", "slug"]
    inlines = [PositionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(position_count=Count("positions"))

    @admin.display(description=_("positions"), ordering="position_count")
    def position_count(self, obj):
        return obj.position_count


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["person", "title", "actor", "start_date", "end_date"]
    list_filter = ["actor__kind"]
    search_fields = ["person__name", "title", "actor__name", "actor__short_name"]
    autocomplete_fields = ["person", "actor"]

    def get_queryset(self, request):
        # A position's name shows the person and the institution with its country (lists and autocomplete).
        return super().get_queryset(request).select_related("person", "actor__parent")
