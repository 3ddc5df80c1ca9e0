"""Who takes part in the dialogue: countries, organisations, their institutions, groups and people."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .languages import Name, entered_in, iso_country_name, names_field, reading_language


class Region(models.Model):
    """A region of the dialogue named in its summaries, such as the Silk Routes Region."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class VoiceKind(models.TextChoices):
    """How an actor's words reach a summary: its own, an institution's of it (a ministry), a group's it is in."""

    OWN = "own", _("Its own")
    INSTITUTION = "institution", _("Its institutions'")
    GROUP = "group", _("Its groups'")


ALL_VOICES = tuple(VoiceKind.values)
# What a count of "its interventions" counts: what it said itself or through its institutions. A group's
# line ("EU Member States highlighted…") is shown apart and counted apart.
COUNTED_VOICES = (VoiceKind.OWN, VoiceKind.INSTITUTION)


class ActorQuerySet(models.QuerySet):
    def countries(self):
        return self.filter(kind=Actor.Kind.COUNTRY)

    def organisations(self):
        return self.filter(kind=Actor.Kind.ORGANISATION)

    def institutions(self):
        return self.filter(kind=Actor.Kind.INSTITUTION)

    def voices_of(self, actor, voices=ALL_VOICES):
        """The actors through which `actor` speaks: itself, its institutions, its groups (`voices`; see Voice)."""
        pk = getattr(actor, "pk", actor)
        return self.filter(pk__in=Voice.objects.filter(actor=pk, kind__in=voices).values("speaker"))

    def with_public_page(self):
        """Actors that have a public page of their own: countries and organisations."""
        return self.filter(kind__in=Actor.KINDS_WITH_PAGE)


class Actor(models.Model):
    """A country, an organisation, an institution of either, or a group of actors that can speak at a meeting."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        ORGANISATION = "organisation", _("Organisation")
        INSTITUTION = "institution", _("Institution (ministry, agency, department)")
        GROUP = "group", _("Group of actors")

    class OrganisationKind(models.TextChoices):
        EU_BODY = "eu_body", _("EU institution or agency")
        UN_AGENCY = "un_agency", _("UN agency")
        INTERNATIONAL = "international", _("International organisation")
        REGIONAL = "regional", _("Regional initiative")
        DIALOGUE = "dialogue", _("Migration dialogue")

    # The kinds with pages of their own, and the field that names one of them in addresses and filters
    # (/api/v1/countries/TR/, ?country=TR; /api/v1/organisations/icmpd/, ?organisation=icmpd). Their
    # pages are named "actors:<kind>-<page>" (detail, feed, calendar, csv), the API's "<kind>-detail".
    REFERENCE_FIELD: dict[str, str] = {Kind.COUNTRY: "iso_code", Kind.ORGANISATION: "slug"}
    KINDS_WITH_PAGE = tuple(REFERENCE_FIELD)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("The name as the summaries write it, e.g. “Czech Republic”.")
    )
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("The last part of the page address, e.g. “czech-republic”.")
    )
    short_name = models.CharField(
        _("acronym or short name"),
        max_length=50,
        blank=True,
        help_text=_("For organisations and institutions, the acronym used in summaries, e.g. “ICMPD”."),
    )
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Other spellings, one per line, e.g. “Czechia” or “Türkiye”. Used to recognise names in search."),
    )
    iso_code = models.CharField(
        _("ISO code"),
        max_length=2,
        blank=True,
        help_text=_("For countries only: the two-letter ISO 3166-1 code in capitals, e.g. “CZ”."),
    )
    organisation_kind = models.CharField(
        _("type of organisation"), max_length=20, choices=OrganisationKind.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        help_text=_("For institutions only: the country or organisation it belongs to."),
    )
    members = models.ManyToManyField(
        "self",
        verbose_name=_("members"),
        symmetrical=False,
        blank=True,
        related_name="member_of",
        help_text=_("For groups only: the countries or organisations in the group."),
    )
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True, related_name="actors")
    website = models.URLField(_("website"), blank=True)
    names = names_field(_('By language code: its name and short name there, e.g. {"ru": {"name": "…"}}.'))

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[members, regions])

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.UniqueConstraint(fields=["iso_code"], condition=~Q(iso_code=""), name="actor_unique_iso_code"),
            models.CheckConstraint(
                condition=(Q(kind="country") & Q(iso_code__regex=r"^[A-Z]{2}$"))
                | (~Q(kind="country") & Q(iso_code="")),
                name="actor_iso_code_for_countries_only",
                violation_error_message=_("A country needs a two-letter ISO code in capitals; other actors have none."),
            ),
            models.CheckConstraint(
                condition=Q(kind="organisation") | Q(organisation_kind=""),
                name="actor_organisation_kind_for_organisations_only",
                violation_error_message=_("Only organisations have a type of organisation."),
            ),
            models.CheckConstraint(
                condition=Q(kind="institution", parent__isnull=False) | Q(~Q(kind="institution"), parent__isnull=True),
                name="actor_parent_for_institutions_only",
                violation_error_message=_("An institution belongs to a country or organisation; other actors do not."),
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.INSTITUTION and self.parent_id:
            return f"{self.name} ({self.parent.name})"
        return self.name

    def get_absolute_url(self):
        return self.page_url("detail")

    def page_url(self, page: str) -> str | None:
        """One of the pages of this actor (or of an institution's country or organisation); None for a group.

        ``page``: "detail", "feed", "calendar" or "csv".
        """
        owner = self.page_owner
        if not owner.has_page:
            return None
        return reverse(f"actors:{owner.kind}-{page}", kwargs={"slug": owner.slug})

    @property
    def feed_url(self) -> str | None:
        return self.page_url("feed")

    @property
    def calendar_url(self) -> str | None:
        return self.page_url("calendar")

    @property
    def csv_url(self) -> str | None:
        return self.page_url("csv")

    @property
    def reference(self) -> dict[str, str]:
        """How addresses and filters name this country or organisation: {"country": "TR"}; {} for other kinds."""
        field = self.REFERENCE_FIELD.get(self.kind)
        return {self.kind: getattr(self, field)} if field else {}

    @property
    def label(self) -> str:
        """The name readers know best: the acronym for organisations that have one."""
        return self.short_name or self.name

    def name_in(self, language: str | None = None) -> Name:
        """Its name in a language (the reader's by default); see actors.languages for where it comes from."""
        language = language or reading_language()
        name = entered_in(self.names, "name", self.name, language)
        if name.lang and self.kind == self.Kind.COUNTRY and (iso_name := iso_country_name(self.iso_code, language)):
            return Name(iso_name)
        return name

    def label_in(self, language: str | None = None) -> Name:
        """`label` in a language: its short name there (or the English acronym, which reads the same), else its name."""
        language = language or reading_language()
        if language != settings.LANGUAGE_CODE:
            short = ((self.names or {}).get(language) or {}).get("short_name")
            if short:
                return Name(short)
        if self.short_name:
            return (
                Name(self.short_name)
                if language == settings.LANGUAGE_CODE
                else Name(self.short_name, lang=settings.LANGUAGE_CODE)
            )
        return self.name_in(language)

    @property
    def has_page(self) -> bool:
        return self.kind in self.KINDS_WITH_PAGE

    @property
    def page_owner(self) -> "Actor":
        """The actor whose page speaks for this one: an institution's country or organisation."""
        return self.parent if self.kind == self.Kind.INSTITUTION and self.parent is not None else self

    @property
    def flag(self) -> str:
        """The flag emoji of a country, made from its ISO code; nothing is fetched."""
        if self.kind != self.Kind.COUNTRY or len(self.iso_code) != 2:
            return ""
        return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in self.iso_code)


class Person(models.Model):
    """A named official who spoke at a meeting."""

    honorific = models.CharField(_("honorific"), max_length=20, blank=True, help_text=_("e.g. “Mr.”, “Ms.”, “Dr.”"))
    name = models.CharField(_("full name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return f"{self.honorific} {self.name}".strip()


class Position(models.Model):
    """A title a person held in a country's institution or an organisation, such as a Deputy Director General."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(_("title"), max_length=300, help_text=_("e.g. “Deputy Director General”."))
    actor = models.ForeignKey(
        Actor,
        verbose_name=_("institution or organisation"),
        on_delete=models.PROTECT,
        related_name="positions",
        help_text=_("Where the person held the title: a ministry, an agency or an organisation."),
    )
    start_date = models.DateField(_("held from"), null=True, blank=True)
    end_date = models.DateField(_("held until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person__name", "-start_date"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(fields=["person", "title", "actor"], name="position_unique_per_person"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_dates_in_order",
                violation_error_message=_("A position cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.person}, {self.title}, {self.actor}"


class Voice(models.Model):
    """One way an actor speaks: as itself, through one of its institutions, or through a group it belongs to.

    A database view (migration 0003_voice_view), the one definition of the rule: ActorQuerySet.voices_of
    reads it for one actor, the counts of profiles and of the goal matrix (meetings.profiles) for all at once.
    """

    pk = models.CompositePrimaryKey("speaker", "actor")
    speaker = models.ForeignKey(
        Actor, verbose_name=_("speaker"), on_delete=models.DO_NOTHING, related_name="+", help_text=_("Who is named.")
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.DO_NOTHING, related_name="+", help_text=_("Who speaks so.")
    )
    kind = models.CharField(_("voice"), max_length=20, choices=VoiceKind.choices)

    class Meta:
        managed = False  # a view over the actors and the groups' members
        db_table = "actors_voice"
        verbose_name = _("voice")
        verbose_name_plural = _("voices")

    def __str__(self):
        return f"{self.speaker_id} for {self.actor_id}"
