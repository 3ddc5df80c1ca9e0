"""Meetings of the dialogue and their summaries: paragraphs, passages, footnotes and the priority goals."""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actors.models import Actor, Person, Position

SEARCH_CONFIG = "english"


class StoredSearchVector(SearchVector):
    """The words of a row as a PostgreSQL text search vector, for a stored generated column.

    SQLite has no text search vectors: there the column holds NULL and search falls back to
    icontains (meetings.search), so one model and one migration serve both databases.
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", ()


class PriorityGoalQuerySet(models.QuerySet):
    def with_intervention_count(self):
        """With `intervention_count`: how many passages of published meetings name each goal."""
        # One row per (goal, passage) in the join: counted as they are, without sorting them for DISTINCT.
        return self.annotate(
            intervention_count=models.Count("passages", filter=published_meeting("passages__paragraph__meeting__"))
        )


class PriorityGoal(models.Model):
    """One of the six priority goals of the Call for Action."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("short title"), max_length=100, help_text=_("e.g. “Irregular migration”."))
    text = models.TextField(_("full text"), help_text=_("The goal as the Call for Action words it."))

    objects = PriorityGoalQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("priority goal")
        verbose_name_plural = _("priority goals")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="priority_goal_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("meetings:goal-detail", kwargs={"number": self.number})


class MeetingSeriesQuerySet(models.QuerySet):
    def published(self):
        """Series the public may see: those of a published meeting (see MeetingQuerySet.series)."""
        return Meeting.objects.published().series()


class MeetingSeries(models.Model):
    """A kind of meeting that recurs, such as the Senior Officials Meetings."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = MeetingSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self):
        return self.name


def can_preview(user) -> bool:
    """The one rule for drafts: active staff who may view or change meetings see them (pages and API)."""
    if not (user and user.is_active and user.is_staff):
        return False
    return user.has_perm("meetings.view_meeting") or user.has_perm("meetings.change_meeting")


def published_meeting(path: str = "") -> Q:
    """The one publication rule: a meeting is public when it is published and its publication time has come.

    ``path`` reaches the meeting from another model (``"paragraph__meeting__"``), so that a count or a
    join over related rows applies the same rule. Drafts, meetings published for later and withdrawn
    meetings are not public, nor is anything that only they refer to (``MeetingQuerySet.actors`` and
    the methods beside it).
    """
    return Q(**{f"{path}status": Meeting.Status.PUBLISHED, f"{path}published_at__lte": timezone.now()})


def published_meeting_count() -> models.Count:
    """An annotation of actors: how many published meetings each took part in (once each, a unique constraint)."""
    return models.Count("participations", filter=published_meeting("participations__meeting__"))


class MeetingQuerySet(models.QuerySet):
    def published(self):
        """Meetings the public may see: the door every public read goes through (see `published_meeting`)."""
        return self.filter(published_meeting())

    def scheduled(self):
        """Meetings published for later: public once their publication time comes."""
        return self.filter(status=Meeting.Status.PUBLISHED).exclude(published_meeting())

    def withdrawn(self):
        return self.filter(status=Meeting.Status.WITHDRAWN)

    def visible_to(self, user):
        """What this user may read: everything for staff who preview (`can_preview`), else published meetings."""
        return self.all() if can_preview(user) else self.published()

    def with_publicity(self):
        """With `public_now`: whether the public may read the meeting (a staff preview shows a banner otherwise)."""
        return self.annotate(public_now=ExpressionWrapper(published_meeting(), output_field=BooleanField()))

    # What these meetings refer to. After published() (or visible_to()), the records the public (or
    # this user) may read: a country, person or series that only a draft names is public nowhere.

    def _ids(self):
        return self.order_by().values("pk")

    def passages(self) -> "PassageQuerySet":
        return Passage.objects.filter(paragraph__meeting__in=self._ids())

    def actors(self, model: type[Actor] = Actor) -> QuerySet:
        """The actors these meetings show: who took part, held a role for a participant, spoke or was named.

        An institution that any of these is brings its country or organisation (its page is theirs), and
        a group that spoke brings its members (their pages show what their groups said). ``model``: a
        proxy of Actor to select from, such as Country.
        """
        actor = OuterRef("pk")

        def itself_or_parent(field: str) -> Q:
            return Q(**{field: actor}) | Q(**{f"{field}__parent": actor})

        meetings, passages = self._ids(), self.passages()
        spoken = itself_or_parent("actor") | Q(actor__members=actor)
        return model.objects.filter(
            Exists(
                Participation.objects.filter(itself_or_parent("actor") | itself_or_parent("represented_by")).filter(
                    meeting__in=meetings
                )
            )
            | Exists(Passage.speakers.through.objects.filter(spoken, passage__in=passages))
            | Exists(Passage.mentions.through.objects.filter(itself_or_parent("actor"), passage__in=passages))
            | Exists(passages.filter(itself_or_parent("official__actor")))
        )

    def positions(self) -> QuerySet:
        """The titles held by the officials who spoke at these meetings."""
        return Position.objects.filter(Exists(self.passages().filter(official=OuterRef("pk"))))

    def people(self) -> QuerySet:
        """The officials who spoke at these meetings."""
        return Person.objects.filter(Exists(self.positions().filter(person=OuterRef("pk"))))

    def series(self) -> "MeetingSeriesQuerySet":
        """The series these meetings belong to."""
        return MeetingSeries.objects.filter(Exists(self.filter(series=OuterRef("pk"))))

    def upcoming(self):
        return self.filter(start_date__gte=timezone.localdate())

    def past(self):
        return self.filter(start_date__lt=timezone.localdate())

    def with_country_count(self):
        """How many countries took part in each meeting, counted for the meetings shown only.

        A correlated subquery rather than a join and GROUP BY, which would count every participation in
        the archive before the page is cut (289 ms against 7.8 ms over 10,000 meetings).
        """
        countries = (
            Participation.objects.filter(meeting=models.OuterRef("pk"), actor__kind=Actor.Kind.COUNTRY)
            .order_by()
            .values("meeting")
            .annotate(count=models.Count("*"))
            .values("count")
        )
        return self.annotate(country_count=Coalesce(models.Subquery(countries, output_field=models.IntegerField()), 0))


class Meeting(models.Model):
    """One event of the dialogue, with its summary."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    series = models.ForeignKey(
        MeetingSeries, verbose_name=_("series"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(
        _("title"), max_length=300, help_text=_("As on the summary, e.g. “Annual Senior Officials Meeting”.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The last part of the page address, e.g. “2020-12-02-annual-som”."),
    )
    start_date = models.DateField(_("date"), help_text=_("The day the meeting took place, or its first day."))
    end_date = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("Only for meetings over several days.")
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    location = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("City and country, e.g. “Istanbul, Turkey”. Leave empty for online meetings."),
    )
    participant_count = models.PositiveIntegerField(
        _("number of participants"),
        null=True,
        blank=True,
        help_text=_("The number of people, as the summary gives it."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("When the meeting becomes public. A time in the future publishes it then, by itself."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Counts saves, so that a stale edit is caught.")
    )
    search_vector = models.GeneratedField(
        expression=StoredSearchVector("title", "location", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("search vector"),
    )

    participants = models.ManyToManyField(
        Actor, through="Participation", through_fields=("meeting", "actor"), related_name="meetings", blank=True
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "version", "search_vector"])

    class Meta:
        ordering = ["-start_date", "title"]
        permissions = [("publish_meeting", _("Can publish and withdraw meetings"))]
        get_latest_by = "start_date"
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="meeting_end_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="meeting_published_has_time",
                violation_error_message=_("A published meeting needs a publication time."),
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at", "start_date"], name="meeting_public_idx")]

    def __str__(self):
        return f"{self.title} ({self.start_date:%d %B %Y})"

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    @property
    def is_upcoming(self) -> bool:
        """The meeting has not taken place yet (its first day is today or later)."""
        return self.start_date >= timezone.localdate()

    @property
    def is_public(self) -> bool:
        """Whether the public may read this meeting now, as stored (the rule is `published_meeting`)."""
        return self.pk is not None and Meeting.objects.published().filter(pk=self.pk).exists()


class ParticipationQuerySet(models.QuerySet):
    def published(self):
        """Participations in published meetings."""
        return self.filter(published_meeting("meeting__"))


class Participation(models.Model):
    """An actor's part in a meeting: participant, chair, co-chair or secretariat."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CO_CHAIR = "co_chair", _("Co-chair")
        SECRETARIAT = "secretariat", _("Secretariat")
        PARTICIPANT = "participant", _("Participant")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participations"
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("country or organisation"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    represented_by = models.ForeignKey(
        Actor,
        verbose_name=_("represented by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representations",
        help_text=_(
            "The institution that held the role for the country, e.g. Turkey's Directorate General for Migration"
            " Management."
        ),
    )

    objects = ParticipationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "actor__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "actor"], name="participation_unique_actor_per_meeting"),
        ]

    def __str__(self):
        return f"{self.actor} – {self.get_role_display()} – {self.meeting}"


class Paragraph(models.Model):
    """One numbered paragraph of a meeting's summary; its text is the join of its passages."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveSmallIntegerField(_("number"))
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, help_text=_("A few words for the table of contents, e.g. “Opening”.")
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Counts saves, so that a stale edit is caught.")
    )

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="paragraph_unique_number_per_meeting"),
            models.CheckConstraint(condition=Q(number__gte=1), name="paragraph_number_positive"),
        ]

    def __str__(self):
        return f"¶{self.number} {self.subject}".strip()

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"p{self.number}"


class PassageQuerySet(models.QuerySet):
    def interventions(self):
        """Passages attributed to at least one speaker."""
        return self.filter(speakers__isnull=False).distinct()

    def published(self):
        """Passages of published meetings only."""
        return self.filter(published_meeting("paragraph__meeting__"))

    def spoken_by(self, actor):
        """Passages the actor spoke, through itself, its institutions or its groups (each passage once)."""
        return self.spoken_through(Actor.objects.voices_of(actor).values("pk"))

    def spoken_through(self, voices):
        """Passages spoken by any of these actors (a list or a queryset of their ids), each passage once.

        A semi-join on the speakers table, indexed by actor, rather than three joins OR-ed together,
        which the database can only answer by reading all of them. A list of ids, where the caller has
        it, lets the database estimate how many passages it will find, and pick its plan by that.
        """
        speaking = Passage.speakers.through.objects.filter(actor__in=voices)
        return self.filter(pk__in=speaking.values("passage"))

    def visible_to(self, user):
        """Passages of the meetings this user may read (see `can_preview`)."""
        return self.all() if can_preview(user) else self.published()

    def for_listing(self):
        """With all that a list of interventions shows, in a fixed number of queries, newest meeting first."""
        return (
            self.select_related("paragraph__meeting", "official__person", "official__actor__parent")
            .prefetch_related(models.Prefetch("speakers", queryset=Actor.objects.select_related("parent")), "goals")
            .order_by("-paragraph__meeting__start_date", "paragraph__meeting_id", "paragraph__number", "order")
        )


class Passage(models.Model):
    """A run of text within a paragraph; with speakers it is an intervention."""

    paragraph = models.ForeignKey(
        Paragraph, verbose_name=_("paragraph"), on_delete=models.CASCADE, related_name="passages"
    )
    order = models.PositiveSmallIntegerField(
        _("order"), help_text=_("1 for the first passage of the paragraph, 2 for the next, …")
    )
    text = models.TextField(
        _("text"),
        help_text=_(
            "The words of the summary. Write **two stars** around a name to show it in bold; ¹ or ² marks a footnote."
        ),
    )
    speakers = models.ManyToManyField(
        Actor,
        verbose_name=_("speakers"),
        blank=True,
        related_name="interventions",
        help_text=_(
            "Who spoke: one or more countries, organisations or groups. Leave empty for the Secretariat's own words."
        ),
    )
    official = models.ForeignKey(
        Position,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="passages",
        help_text=_("The named official who spoke, with the title they held, where the summary names one."),
    )
    goals = models.ManyToManyField(
        PriorityGoal,
        verbose_name=_("priority goals"),
        blank=True,
        related_name="passages",
        help_text=_("The priority goals this passage names."),
    )
    mentions = models.ManyToManyField(
        Actor,
        verbose_name=_("mentions"),
        blank=True,
        related_name="mentioned_in",
        help_text=_("Countries and organisations the passage speaks about without them speaking."),
    )
    regions = models.ManyToManyField(
        "actors.Region",
        verbose_name=_("regions"),
        blank=True,
        related_name="passages",
        help_text=_("Regions the passage names."),
    )

    search_vector = models.GeneratedField(
        expression=StoredSearchVector("text", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("search vector"),
    )

    objects = PassageQuerySet.as_manager()
    # The search vector is derived from the text, which history already keeps.
    history = HistoricalRecords(m2m_fields=[speakers, goals, mentions, regions], excluded_fields=["search_vector"])

    class Meta:
        ordering = ["paragraph", "order"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "order"], name="passage_unique_order_per_paragraph"),
        ]

    def __str__(self):
        return f"{self.paragraph.meeting.slug} ¶{self.paragraph.number}.{self.order}"

    def get_absolute_url(self):
        return f"{self.paragraph.meeting.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"p{self.paragraph.number}-{self.order}"


class Footnote(models.Model):
    """A footnote of a meeting's summary, referred to by its number in the text (¹, ², …)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="footnotes")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(
        _("text"),
        help_text=_("Write **two stars** around words to show them in bold; start a line with “1. ” for a list."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="footnote_unique_number_per_meeting"),
        ]

    def __str__(self):
        return f"{self.meeting.slug} footnote {self.number}"

    @property
    def anchor(self) -> str:
        return f"fn{self.number}"
