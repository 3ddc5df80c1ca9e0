"""Meetings of the dialogue and their summaries: paragraphs, passages, footnotes and the priority goals."""

import operator
from datetime import date
from functools import reduce

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import BooleanField, Case, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, When
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actors.languages import names_field
from actors.models import ALL_VOICES, Actor, ActorQuerySet, Person, Position

from .markup import MARK, footnote_anchor
from .reviews import Reviewed

SEARCH_CONFIG = "english"


class StoredSearchVector(SearchVector):
    """The words of a row as a PostgreSQL text search vector, for a stored generated column.

    SQLite has no text search vectors: there the column holds NULL and search falls back to
    icontains (meetings.search), so one model and one migration serve both databases.
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", ()


def changes_of_field(model: str) -> models.ForeignKey:
    """The live row a row of a working copy stands for (meetings.revisions); empty on live rows and new ones."""
    return models.ForeignKey(
        model,
        verbose_name=_("changes of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


# The goals' addresses and filters were made when the 2013 goals (carried by the Call for Action
# 2019–2024) were the only ones: without a framework, a goal number means one of these.
LEGACY_FRAMEWORK_SLUG = "2019-2024"


class CallForActionQuerySet(models.QuerySet):
    def in_force(self, on: date | None):
        """The framework whose goal numbers a summary of that date cites (the latest started, for no date)."""
        if on is None:
            return self.order_by("-start_date")
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on)).order_by(
            "-start_date"
        )


class CallForAction(models.Model):
    """A versioned set of numbered priority goals, such as the Call for Action 2025–2030."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("e.g. “Call for Action 2025–2030”."))
    names = names_field(
        _('By language code, e.g. {"ru": {"name": "…"}}: its name there; else the English, marked as English.')
    )
    slug = models.SlugField(
        _("slug"), max_length=50, unique=True, help_text=_("The part of the goal pages' address, e.g. “2025-2030”.")
    )
    period = models.CharField(_("period"), max_length=50, help_text=_("As readers know it, e.g. “2025–2030”."))
    adopted_at = models.ForeignKey(
        "Meeting",
        verbose_name=_("adopted at"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_frameworks",
        help_text=_("The Ministerial Conference that adopted it."),
    )
    goals_set_at = models.ForeignKey(
        "Meeting",
        verbose_name=_("goals first set at"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goal_frameworks",
        help_text=_("Where its goals were first set, if earlier than its adoption (the 2013 Istanbul goals)."),
    )
    start_date = models.DateField(
        _("goal numbers in force from"),
        help_text=_("From this day a summary's “priority goal 3” means this framework's goal 3."),
    )
    end_date = models.DateField(
        _("goal numbers in force until"), null=True, blank=True, help_text=_("Empty while it is in force.")
    )
    text = models.TextField(_("description"), blank=True)

    objects = CallForActionQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("Call for Action")
        verbose_name_plural = _("Calls for Action")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="call_for_action_end_after_start",
                violation_error_message=_("A Call for Action cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('meetings:goal-list')}#{self.slug}"

    @property
    def is_legacy(self) -> bool:
        """The Call for Action whose goals keep the addresses without a slug (`/priority-goals/3/`, `?goal=3`)."""
        return self.slug == LEGACY_FRAMEWORK_SLUG

    def url_kwargs(self) -> dict:
        return {} if self.is_legacy else {"framework": self.slug}

    def get_matrix_url(self) -> str:
        return reverse("meetings:goal-matrix", kwargs=self.url_kwargs())

    def clean(self):
        # Two frameworks in force on one day would make a goal number mean two goals.
        overlapping = CallForAction.objects.exclude(pk=self.pk).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=self.start_date)
        )
        if self.end_date:
            overlapping = overlapping.filter(start_date__lte=self.end_date)
        if self.start_date and overlapping.exists():
            raise ValidationError(
                _("Its period overlaps %(other)s: on any day one Call for Action gives goal numbers their meaning.")
                % {"other": overlapping.first()}
            )


class PriorityGoalQuerySet(models.QuerySet):
    def with_intervention_count(self):
        """With `intervention_count`: how many passages of published meetings are about each goal.

        Counted for each goal from its links alone (a link carries its meeting's `public_from`, and a
        passage has a goal once), from their index: 252,290 links of 10,000 meetings without reading a
        passage, a paragraph or a meeting.
        """
        links = (
            PassageGoal.objects.filter(published_meeting("passage_"), prioritygoal=OuterRef("pk"))
            .order_by()
            .values("prioritygoal")
            .annotate(count=models.Count("*"))
            .values("count")
        )
        return self.annotate(intervention_count=Coalesce(models.Subquery(links, output_field=models.IntegerField()), 0))


class PriorityGoal(models.Model):
    """One numbered priority goal of a Call for Action."""

    framework = models.ForeignKey(
        CallForAction, verbose_name=_("Call for Action"), on_delete=models.PROTECT, related_name="goals"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("short title"), max_length=100, help_text=_("e.g. “Irregular migration”."))
    text = models.TextField(_("full text"), help_text=_("The goal as the Call for Action words it."))
    names = names_field(
        _(
            'By language code, e.g. {"ru": {"title": "…", "text": "…"}}: its title and text there; else the English, '
            "marked as English."
        )
    )
    vocabulary = models.TextField(
        _("subject words"),
        blank=True,
        help_text=_(
            "Words that suggest a passage is about this goal, one per line; end a word with * for any ending"
            " (smuggl* finds smuggling and smugglers). The importer suggests tags from them; they are published."
        ),
    )
    carried_over_from = models.ManyToManyField(
        "self",
        verbose_name=_("carries over"),
        through="meetings.GoalCorrespondence",
        through_fields=("later", "earlier"),
        symmetrical=False,
        blank=True,
        related_name="carried_over_to",
        help_text=_("Goals of an earlier Call for Action whose subject this goal carries over."),
    )

    objects = PriorityGoalQuerySet.as_manager()

    # Set by profiles.goal_counts on the goals it returns: how many of some passages name it, tag it, in all.
    named: int
    tagged: int
    count: int

    class Meta:
        ordering = ["framework__start_date", "number"]
        verbose_name = _("priority goal")
        verbose_name_plural = _("priority goals")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="priority_goal_number_positive"),
            models.UniqueConstraint(fields=["framework", "number"], name="priority_goal_unique_number_per_framework"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("meetings:goal-detail", kwargs={**self.framework.url_kwargs(), "number": self.number})

    @property
    def key(self) -> str:
        """The goal in one word, for the API and filters: “2025-2030-3”."""
        return f"{self.framework.slug}-{self.number}"

    @property
    def terms(self) -> list[str]:
        """The subject words, one per line, without blanks."""
        return [line.strip() for line in self.vocabulary.splitlines() if line.strip()]


class GoalCorrespondence(models.Model):
    """A later goal carries over the subject of an earlier one (2013 goal 5 trafficking → 2025 goal 1)."""

    earlier = models.ForeignKey(
        PriorityGoal, verbose_name=_("earlier goal"), on_delete=models.CASCADE, related_name="correspondences_on"
    )
    later = models.ForeignKey(
        PriorityGoal, verbose_name=_("later goal"), on_delete=models.CASCADE, related_name="correspondences_back"
    )
    note = models.CharField(
        _("what carries over"),
        max_length=300,
        blank=True,
        help_text=_("e.g. “Return and readmission, part of the 2013 goal 1, have a goal of their own.”"),
    )

    class Meta:
        ordering = ["later__framework__start_date", "later__number", "earlier__number"]
        verbose_name = _("correspondence between goals")
        verbose_name_plural = _("correspondences between goals")
        constraints = [
            models.UniqueConstraint(fields=["earlier", "later"], name="goal_correspondence_unique"),
            models.CheckConstraint(condition=~Q(earlier=F("later")), name="goal_correspondence_not_itself"),
        ]

    def __str__(self):
        return f"{self.earlier.framework.period} {self.earlier} → {self.later.framework.period} {self.later}"


class MeetingSeriesQuerySet(models.QuerySet):
    def published(self):
        """Series the public may see: those of a published meeting (see MeetingQuerySet.series)."""
        return Meeting.objects.published().series()


class MeetingSeries(models.Model):
    """A kind of meeting that recurs, such as the Senior Officials Meetings."""

    class Kind(models.TextChoices):
        MINISTERIAL_CONFERENCE = "ministerial_conference", _("Ministerial Conference")
        SENIOR_OFFICIALS_MEETING = "senior_officials_meeting", _("Senior Officials Meeting")
        REFERENCE_GROUP = "reference_group", _("Reference Group meeting")
        WORKING_GROUP = "working_group", _("Thematic working group")
        THEMATIC = "thematic", _("Thematic meeting")
        REGIONAL = "regional", _("Regional meeting")
        PREPARATORY = "preparatory", _("Preparatory meeting")
        OTHER = "other", _("Other meeting")

    name = models.CharField(_("name"), max_length=200, unique=True)
    names = names_field(
        _('By language code, e.g. {"ru": {"name": "…"}}: its name there; else the English, marked as English.')
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind of meeting"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    numbered = models.BooleanField(
        _("numbered"),
        default=False,
        help_text=_("The dialogue numbers these meetings (“the 38th Senior Officials Meeting”, “7th Ministerial”)."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = MeetingSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:series-detail", kwargs={"slug": self.slug})


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 38th; each language's catalogue gives its suffixes."""
    if 10 <= number % 100 <= 20:
        suffix = pgettext("ordinal suffix of 11-20, 111-120…", "th")
    else:
        suffix = {
            1: pgettext("ordinal suffix of 1, 21, 31…", "st"),
            2: pgettext("ordinal suffix of 2, 22, 32…", "nd"),
            3: pgettext("ordinal suffix of 3, 23, 33…", "rd"),
        }.get(number % 10) or pgettext("ordinal suffix of 4-9, 24-29…", "th")
    return f"{number}{suffix}"


def can_preview(user) -> bool:
    """The one rule for drafts: active staff who may view or change meetings see them (pages and API)."""
    if not (user and user.is_active and user.is_staff):
        return False
    return user.has_perm("meetings.view_meeting") or user.has_perm("meetings.change_meeting")


def public_from_expression() -> Case:
    """When a meeting becomes public: its publication time if it is published, else never (NULL).

    The stored half of the publication rule (`Meeting.public_from`, a generated column); the other half
    is `published_meeting`'s comparison with the time of the read.
    """
    return Case(When(status="published", then=F("published_at")), default=None)


def published_meeting(path: str = "") -> Q:
    """The one publication rule: a meeting is public when it is published and its publication time has come.

    ``path`` reaches the meeting from another model (``"meeting__"``), so that a count or a join over
    related rows applies the same rule. Drafts, meetings published for later and withdrawn meetings are
    not public, nor is anything that only they refer to (``MeetingQuerySet.actors`` and the methods
    beside it). Passages and participations carry their meeting's `public_from` (see
    `MeetingCopy`), so that for them the rule is read on their own row: ``published_meeting()``.
    """
    return Q(**{f"{path}public_from__lte": timezone.now()})


class MeetingCopy:
    """What a passage and a participation carry of their meeting: when it is public, and its date; what a
    passage's goal links carry of it: when it is public (`passage_public_from`).

    A copy kept by the database itself (triggers, migration 0012_publication_on_rows), whatever writes:
    a save, `QuerySet.update()`, `bulk_create()`, `loaddata`, raw SQL. A meeting's change of status,
    publication time or date is copied to its rows in the same statement; a row written with other
    values gets its meeting's. Being a time, not a yes or no, the copy needs no change when a
    publication scheduled for later comes due: the reader compares it with the time of the read.
    Lists and counts of passages and participations filter and sort by it without joining
    paragraphs and meetings (hundreds of thousands of rows on a large archive).
    """

    FIELDS = ("public_from", "meeting_date")
    # A goal link's copy: under its own name, since history keeps every column of a passage's links.
    LINK_FIELD = "passage_public_from"

    @staticmethod
    def public_from() -> models.DateTimeField:
        return models.DateTimeField(
            _("public from"), null=True, editable=False, help_text=_("Its meeting's (kept by the database).")
        )

    @staticmethod
    def meeting_date() -> models.DateField:
        return models.DateField(
            _("meeting date"), null=True, editable=False, help_text=_("Its meeting's (kept by the database).")
        )


class MeetingReferences:
    """What a set of meetings refers to, read through their participations and passages.

    `of` a queryset of meetings (``meetings.references()``): the rows of those meetings, found by their
    ids. `public()`: the rows of the public's meetings, each found by its own copy of the one rule
    (``Participation.objects.published()``, ``Passage.objects.published()``: `published_meeting` on
    the row, see `MeetingCopy`), so that "public when a public meeting refers to it" is answered from
    an index on the row instead of through the ids of every public meeting.
    """

    def __init__(self, participations: "ParticipationQuerySet", passages: "PassageQuerySet"):
        self.participations, self.passages = participations, passages

    @classmethod
    def public(cls) -> "MeetingReferences":
        """What the public's meetings refer to: the records the public may read."""
        return cls(Participation.objects.published(), Passage.objects.published())

    def actors(self, model: type[Actor] = Actor) -> ActorQuerySet:
        """The actors these meetings show: who took part, held a role for a participant, spoke or was named.

        An institution that any of these is brings its country or organisation (its page is theirs), and
        a group that spoke brings its members (their pages show what their groups said). ``model``: a
        proxy of Actor to select from, such as Country.
        """
        actor = OuterRef("pk")
        passages = self.passages.order_by().values("pk")

        def either(queryset: QuerySet, *fields: str) -> Q:
            # One EXISTS per way of being named, each answered from the index of its column: OR-ed inside
            # one EXISTS, they made the database read every row for each actor that none of them names
            # (the organisations of /meetings/' filter: 3.6 s on 10,000 meetings). The speakers' and
            # mentions' index by actor, then passage (migration 0014), answers an actor that never
            # spoke without reading every speaker (the API's count of organisations: 63 ms → 0.4 ms).
            return reduce(operator.or_, (Q(Exists(queryset.filter(**{field: actor}))) for field in fields))

        return model.objects.filter(
            either(self.participations, "actor", "actor__parent", "represented_by", "represented_by__parent")
            | either(
                Passage.speakers.through.objects.filter(passage__in=passages),
                "actor",
                "actor__parent",
                "actor__members",
            )
            | either(Passage.mentions.through.objects.filter(passage__in=passages), "actor", "actor__parent")
            | either(self.passages, "official__actor", "official__actor__parent")
        )

    def positions(self) -> QuerySet:
        """The titles held by the officials who spoke at these meetings."""
        return Position.objects.filter(Exists(self.passages.filter(official=OuterRef("pk"))))

    def people(self) -> QuerySet:
        """The officials who spoke at these meetings."""
        return Person.objects.filter(Exists(self.positions().filter(person=OuterRef("pk"))))


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
    # The public's are read faster from the rows' copy of the rule: `MeetingReferences.public()`.

    def _ids(self):
        return self.order_by().values("pk")

    def participations(self) -> "ParticipationQuerySet":
        return Participation.objects.filter(meeting__in=self._ids())

    def passages(self) -> "PassageQuerySet":
        return Passage.objects.filter(paragraph__meeting__in=self._ids())

    def references(self) -> "MeetingReferences":
        return MeetingReferences(self.participations(), self.passages())

    def actors(self, model: type[Actor] = Actor) -> ActorQuerySet:
        """The actors these meetings show (see `MeetingReferences.actors`)."""
        return self.references().actors(model)

    def positions(self) -> QuerySet:
        """The titles held by the officials who spoke at these meetings."""
        return self.references().positions()

    def people(self) -> QuerySet:
        """The officials who spoke at these meetings."""
        return self.references().people()

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


class Meeting(Reviewed):
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
    number = models.PositiveSmallIntegerField(
        _("number in its series"),
        null=True,
        blank=True,
        help_text=_("Where the dialogue numbers the meeting: 38 for the 38th Senior Officials Meeting."),
    )
    outcome = models.TextField(
        _("what it adopted"),
        blank=True,
        help_text=_("For conferences: the texts adopted, e.g. “The Istanbul Ministerial Declaration”."),
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
    changes_of = models.OneToOneField(
        "self",
        verbose_name=_("unpublished changes of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="working_copy",
        help_text=_("Set on a working copy: the published meeting whose unpublished changes it holds."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Counts saves, so that a stale edit is caught.")
    )
    public_from = models.GeneratedField(
        expression=public_from_expression(),
        output_field=models.DateTimeField(null=True),
        db_persist=True,
        verbose_name=_("public from"),
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
    # Set for one save that simple-history is to leave unrecorded (meetings.revisions records it with its parts).
    skip_history_when_saving: bool
    # Why a save is made, for its row of history (simple-history reads it when set before save()).
    _change_reason: str
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "version",
            "search_vector",
            "public_from",
            "changes_of",
            "review_by",
            "review_at",
        ]
    )

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
            models.UniqueConstraint(
                fields=["series", "number"],
                # A published meeting's unpublished changes (a working copy) carry its number too.
                condition=Q(number__isnull=False, changes_of__isnull=True),
                name="meeting_unique_number_in_series",
                violation_error_message=_("Another meeting of this series has this number."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at", "start_date"], name="meeting_public_idx"),
            models.Index(fields=["public_from", "start_date"], name="meeting_public_from_idx"),
            # The lists' order, newest first (the API adds the id): a page of them is read from here, not sorted
            # out of every meeting (/api/v1/meetings/ sorted 9,495 rows for 20).
            models.Index(F("start_date").desc(), "title", "id", name="meeting_newest_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date:%d %B %Y})"

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    @property
    def ordinal_title(self) -> str:
        """“38th Senior Officials Meeting” where the meeting has a number, else empty."""
        if self.number is None:
            return ""
        series = self.series.get_kind_display() if self.series.kind != MeetingSeries.Kind.OTHER else self.series.name
        return pgettext("a meeting's number in its series", "%(ordinal)s %(series)s") % {
            "ordinal": ordinal(self.number),
            "series": series,
        }

    @property
    def is_upcoming(self) -> bool:
        """The meeting has not taken place yet (its first day is today or later)."""
        return self.start_date >= timezone.localdate()

    # What the meeting's page and its API record show, read from what the query prefetched
    # (participations with their actors, paragraphs with their passages and officials): no query of their own.

    def participations_by_role(self) -> dict[str, list["Participation"]]:
        """Its participations by role (every role, maybe with none), in the order they were fetched."""
        participations = list(self.participations.all())
        return {role: [p for p in participations if p.role == role] for role in Participation.Role.values}

    def participations_of(self, kind: str) -> list["Participation"]:
        """The participations of countries (or organisations)."""
        return [p for p in self.participations.all() if p.actor.kind == kind]

    def participations_in_other_roles(self) -> list["Participation"]:
        """Its hosts, rapporteurs, working-group co-chairs and moderators: roles beside the organisers'."""
        Role = Participation.Role
        usual = (Role.CHAIR, Role.CO_CHAIR, Role.SECRETARIAT, Role.PARTICIPANT)
        return [p for p in self.participations.all() if p.role not in usual]

    def organisers(self) -> list[Actor]:
        """Who ran it: its chairs, co-chairs and Secretariat."""
        by_role = self.participations_by_role()
        Role = Participation.Role
        return [p.actor for role in (Role.CHAIR, Role.CO_CHAIR, Role.SECRETARIAT) for p in by_role[role]]

    def calls_for_action(self) -> tuple[list[CallForAction], list[CallForAction]]:
        """The Calls for Action it adopted, and those whose goals it first set: one query for both."""
        marked = list(CallForAction.objects.filter(Q(adopted_at=self) | Q(goals_set_at=self)))
        return (
            [framework for framework in marked if framework.adopted_at_id == self.pk],
            [framework for framework in marked if framework.goals_set_at_id == self.pk],
        )

    def passages_in_order(self) -> list["Passage"]:
        """Every passage of the summary, paragraph by paragraph."""
        return [passage for paragraph in self.paragraphs.all() for passage in paragraph.passages.all()]

    def officials(self) -> list[Position]:
        """The named officials who spoke, each once, in the order they first speak."""
        officials: dict[int, Position] = {}
        for passage in self.passages_in_order():
            if passage.official_id and passage.official is not None:
                officials.setdefault(passage.official_id, passage.official)
        return list(officials.values())

    def description(self) -> str:
        """One sentence for search engines and link previews."""
        countries = len(self.participations_of(Actor.Kind.COUNTRY))
        organisations = len(self.participations_of(Actor.Kind.ORGANISATION))
        return gettext(
            "Summary of the %(title)s of the Budapest Process, %(date)s, %(where)s: what %(countries)s and "
            "%(organisations)s said, paragraph by paragraph."
        ) % {
            "title": self.title,
            "date": date_format(self.start_date, "DATE_FORMAT"),
            "where": self.location if self.location else self.get_format_display().lower(),
            "countries": ngettext("%(count)d country", "%(count)d countries", countries) % {"count": countries},
            "organisations": ngettext("%(count)d organisation", "%(count)d organisations", organisations)
            % {"count": organisations},
        }

    @property
    def is_public(self) -> bool:
        """Whether the public may read this meeting now, as stored (the rule is `published_meeting`)."""
        return self.pk is not None and Meeting.objects.published().filter(pk=self.pk).exists()

    def clean(self):
        super().clean()
        if self.status == Meeting.Status.WITHDRAWN and self.published_at is not None:
            # Withdrawn keeps its publication time only if it was public when withdrawn (or already withdrawn so):
            # that time is what tells a meeting withdrawn from the public from one that never reached it
            # (a draft, or one published for later), whose address answers as if it never was (publication).
            stored = Meeting.objects.filter(pk=self.pk).values_list("status", "published_at").first()
            was_public = stored is not None and (
                (stored[0] == Meeting.Status.WITHDRAWN and stored[1] is not None) or self.is_public
            )
            if not was_public:
                self.published_at = None


class ParticipationQuerySet(models.QuerySet):
    def published(self):
        """Participations in published meetings."""
        return self.filter(published_meeting())

    def visible_to(self, user):
        """Participations in the meetings this user may read (see `can_preview`)."""
        return self.all() if can_preview(user) else self.published()


class Participation(models.Model):
    """An actor's part in a meeting: participant, chair, co-chair, secretariat, host, rapporteur, …"""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CO_CHAIR = "co_chair", _("Co-chair")
        SECRETARIAT = "secretariat", _("Secretariat")
        HOST = "host", _("Host")
        RAPPORTEUR = "rapporteur", _("Rapporteur")
        WORKING_GROUP_CO_CHAIR = "working_group_co_chair", _("Working group co-chair")
        MODERATOR = "moderator", _("Moderator")
        PARTICIPANT = "participant", _("Participant")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participations"
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("country or organisation"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.PARTICIPANT)
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
    public_from = MeetingCopy.public_from()
    meeting_date = MeetingCopy.meeting_date()
    changes_of = changes_of_field("self")

    objects = ParticipationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["changes_of", *MeetingCopy.FIELDS])

    class Meta:
        ordering = ["meeting", "actor__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "actor"], name="participation_unique_actor_per_meeting"),
        ]
        indexes = [
            models.Index(F("meeting_date").desc(), "meeting", name="participation_newest_idx"),
            # An actor's meetings, newest first (profiles.attendance).
            models.Index(
                "actor", F("meeting_date").desc(), F("meeting").desc(), "public_from", name="participation_actor_idx"
            ),
            # The roles it held other than participant (profiles.attendance): a few rows among its thousands.
            models.Index(
                "actor",
                F("meeting_date").desc(),
                F("meeting").desc(),
                "public_from",
                condition=~Q(role="participant"),
                name="participation_actor_role_idx",
            ),
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
    changes_of = changes_of_field("self")

    history = HistoricalRecords(excluded_fields=["version", "changes_of"])

    # Set on the paragraphs of a meeting page by citations.annotate_meeting_page: its citation in each style.
    citation: dict[str, str]

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


class PassageGoal(models.Model):
    """A passage is about a priority goal: the summary names it, or the Secretariat tagged it."""

    class Provenance(models.TextChoices):
        NAMED = "named", _("Named in the summary")
        TAGGED = "tagged", _("Tagged by the Secretariat")

    passage = models.ForeignKey(
        "Passage", verbose_name=_("passage"), on_delete=models.CASCADE, related_name="goal_links"
    )
    # The column of the table Django made before this model; the name keeps every reader of it working.
    prioritygoal = models.ForeignKey(
        PriorityGoal, verbose_name=_("priority goal"), on_delete=models.PROTECT, related_name="passage_links"
    )
    provenance = models.CharField(
        _("provenance"),
        max_length=10,
        choices=Provenance.choices,
        default=Provenance.NAMED,
        help_text=_("Named: the summary says “priority goal 1”. Tagged: the Secretariat read the passage as about it."),
    )
    passage_public_from = MeetingCopy.public_from()

    class Meta:
        db_table = "meetings_passage_goals"
        ordering = ["prioritygoal__number"]
        verbose_name = _("subject of a passage")
        verbose_name_plural = _("subjects of passages")
        constraints = [
            models.UniqueConstraint(fields=["passage", "prioritygoal"], name="passage_goal_unique"),
        ]
        # A goal's count of public passages, read from this index alone (`with_intervention_count`).
        indexes = [
            models.Index(fields=["prioritygoal", "passage_public_from", "provenance"], name="passage_goal_public_idx")
        ]

    def __str__(self):
        return f"{self.passage} – {self.prioritygoal} ({self.get_provenance_display()})"

    @property
    def goal(self) -> PriorityGoal:
        return self.prioritygoal

    @property
    def is_named(self) -> bool:
        return self.provenance == self.Provenance.NAMED


# What lists and the API show of a passage's official, by their path from the position: read in one JSON column.
_ACTOR_COLUMNS = ("id", "kind", "name", "slug", "short_name", "iso_code", "parent_id")
OFFICIAL_COLUMNS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "": (Position, ("id", "title", "person_id", "actor_id")),
    "person__": (Person, ("id", "honorific", "name", "slug")),
    "actor__": (Actor, _ACTOR_COLUMNS),
    "actor__parent__": (Actor, _ACTOR_COLUMNS),
}


def official_row() -> models.Subquery:
    """A passage's official as one JSON object of `OFFICIAL_COLUMNS` (keys such as "person__name"), or null."""
    columns = {path + name: F(path + name) for path, (_model, names) in OFFICIAL_COLUMNS.items() for name in names}
    return models.Subquery(Position.objects.filter(pk=OuterRef("official_id")).values(row=JSONObject(**columns)))


def official_from(row: dict, db: str) -> Position:
    """A position with its person, actor and the actor's parent from the column `official_row()` (other fields
    deferred: reading one is a query of its own)."""

    def instance(path: str):
        model, names = OFFICIAL_COLUMNS[path]
        loaded = [field.attname for field in model._meta.concrete_fields if field.attname in names]  # in their order
        return model.from_db(db, loaded, [row[path + name] for name in loaded])

    position, actor = instance(""), instance("actor__")
    position.person = instance("person__")
    if actor.parent_id is not None:
        actor.parent = instance("actor__parent__")
    position.actor = actor
    return position


class OfficialFromColumnIterable(models.query.ModelIterable):
    """Passages with their official (`Passage.official`) made from the column `official_row()`."""

    def __iter__(self):
        db = self.queryset.db
        for passage in super().__iter__():
            row = passage.__dict__.pop("official_row", None)
            if row is not None:
                passage.official = official_from(row, db)
            yield passage


class PassageQuerySet(models.QuerySet):
    def with_speakers(self):
        """Passages attributed to at least one speaker, whatever their kind."""
        return self.filter(pk__in=Passage.speakers.through.objects.values("passage"))

    def statements(self, voices=None):
        """Interventions: statements attributed to a speaker (not the Chair's procedure, not a report).

        `voices` (ids, or a queryset of them): only those spoken by one of these actors, which implies a
        speaker, so that the semi-join over every speaker row (`with_speakers`) is left out: with it,
        Turkey's first page of interventions took 1.3 s on 10,000 meetings, without it 0.4 s.
        """
        statements = self.filter(kind=Passage.Kind.STATEMENT)
        return statements.with_speakers() if voices is None else statements.spoken_through(voices)

    def interventions(self):
        """What pages, feeds and the API call and count interventions: statements with a speaker."""
        return self.statements()

    def published(self):
        """Passages of published meetings only."""
        return self.filter(published_meeting())

    def spoken_by(self, actor, voices=ALL_VOICES):
        """Passages the actor spoke, in these voices (its own, its institutions', its groups'), each passage once."""
        return self.spoken_through(Actor.objects.voices_of(actor, voices=voices).values("pk"))

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
        """With all that a list of interventions shows, in a fixed number of queries, newest meeting first.

        In the reader's language, each carries its public translation there (`translated`, or None) and its
        meeting's public title there (`meeting_translated_title`, or None). The official who spoke (their
        position, person, institution and its parent) is read in one column of the same query rather than in
        four more joins, with what lists show of them (`OFFICIAL_COLUMNS`): PostgreSQL plans the query of nine
        tables in 5–14 ms, the same with a subquery for the official in under 1 ms (docs/performance.md).
        """
        from actors.languages import reading_language

        from .translations import with_translated_meeting_title, with_translated_words

        language = reading_language()
        listed = self._for_listing().select_related("paragraph__meeting").annotate(official_row=official_row())
        listed._iterable_class = OfficialFromColumnIterable
        return with_translated_meeting_title(with_translated_words(listed, "passage", language), language)

    def _for_listing(self):
        return self.prefetch_related(
            models.Prefetch("speakers", queryset=Actor.objects.select_related("parent")),
            models.Prefetch("goal_links", queryset=PassageGoal.objects.select_related("prioritygoal__framework")),
        ).order_by("-meeting_date", "paragraph__meeting_id", "paragraph__number", "order")


class Passage(models.Model):
    """A run of text within a paragraph: a statement (an intervention), procedure, a report or narrative."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement")
        PROCEDURE = "procedure", _("Procedure")
        REPORT = "report", _("Report")
        NARRATIVE = "narrative", _("Narrative")

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
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.STATEMENT,
        help_text=_(
            "Statement: what a speaker said (an intervention, counted as one). Procedure: the Chair opening, giving"
            " the floor, closing. Report: the Secretariat presenting. Narrative: the Secretariat's own words."
        ),
    )
    kind_reason = models.CharField(
        _("why this kind"),
        max_length=200,
        blank=True,
        help_text=_("The words that made the importer propose the kind; empty when an editor chose it."),
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
        through=PassageGoal,
        blank=True,
        related_name="passages",
        help_text=_("The priority goals this passage is about: named by the summary, or tagged by the Secretariat."),
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
    public_from = MeetingCopy.public_from()
    meeting_date = MeetingCopy.meeting_date()
    changes_of = changes_of_field("self")

    objects = PassageQuerySet.as_manager()
    # The search vector is derived from the text, which history already keeps.
    history = HistoricalRecords(
        m2m_fields=[speakers, goals, mentions, regions],
        excluded_fields=["search_vector", "changes_of", *MeetingCopy.FIELDS],
    )

    # Set on the interventions of a meeting page by citations.annotate_meeting_page: its citation in each style.
    citation: dict[str, str]

    class Meta:
        ordering = ["paragraph", "order"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "order"], name="passage_unique_order_per_paragraph"),
        ]
        indexes = [
            models.Index(F("meeting_date").desc(), "paragraph", "order", name="passage_newest_idx"),
            # What counts of passages found by id (an actor's, a goal's) read, without reading the passage.
            models.Index(fields=["id"], include=["public_from", "kind", "meeting_date"], name="passage_public_idx"),
        ]

    def __str__(self):
        return f"{self.paragraph.meeting.slug} ¶{self.paragraph.number}.{self.order}"

    def get_absolute_url(self):
        return f"{self.paragraph.meeting.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"p{self.paragraph.number}-{self.order}"

    @property
    def is_intervention(self) -> bool:
        return self.kind == self.Kind.STATEMENT

    @property
    def named_links(self) -> list["PassageGoal"]:
        """The goals the summary names (from the prefetched `goal_links`)."""
        return [link for link in self.goal_links.all() if link.is_named]

    @property
    def tagged_links(self) -> list["PassageGoal"]:
        """The subjects the Secretariat tagged (from the prefetched `goal_links`)."""
        return [link for link in self.goal_links.all() if not link.is_named]


class GoalSuggestion(models.Model):
    """A subject the importer suggests from a passage's words, until an editor confirms or dismisses it."""

    passage = models.ForeignKey(
        Passage, verbose_name=_("passage"), on_delete=models.CASCADE, related_name="goal_suggestions"
    )
    goal = models.ForeignKey(PriorityGoal, verbose_name=_("priority goal"), on_delete=models.CASCADE, related_name="+")
    words = models.CharField(_("words found"), max_length=300, help_text=_("The subject words that suggested it."))

    class Meta:
        ordering = ["passage", "goal__number"]
        verbose_name = _("suggested subject")
        verbose_name_plural = _("suggested subjects")
        constraints = [models.UniqueConstraint(fields=["passage", "goal"], name="goal_suggestion_unique")]

    def __str__(self):
        return f"{self.passage} – {self.goal} ({self.words})"


class Footnote(models.Model):
    """A footnote of a meeting's summary, referred to by its number in the text (¹, ², …)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="footnotes")
    number = models.PositiveSmallIntegerField(_("number"))
    mark = models.CharField(
        _("mark"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(f"^{MARK.pattern}$", _("A mark is one to four of * † ‡ § ¶ #."))],
        help_text=_(
            "For a footnote with a mark of its own instead of a number, as the summary writes it (“*”); "
            "the text refers to it as [^*]. Empty for a numbered footnote."
        ),
    )
    text = models.TextField(
        _("text"),
        help_text=_("Write **two stars** around words to show them in bold; start a line with “1. ” for a list."),
    )
    changes_of = changes_of_field("self")

    history = HistoricalRecords(excluded_fields=["changes_of"])

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="footnote_unique_number_per_meeting"),
            models.UniqueConstraint(
                fields=["meeting", "mark"], condition=~Q(mark=""), name="footnote_unique_mark_per_meeting"
            ),
        ]

    def __str__(self):
        return f"{self.meeting.slug} footnote {self.number}"

    @property
    def anchor(self) -> str:
        return footnote_anchor(self.number, self.mark)


def document_path(document: "Document", filename: str) -> str:
    """Where the storage keeps a file: by meeting, never under the uploader's path."""
    return f"documents/{document.meeting.slug}/{filename}"


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """Documents of published meetings only: a document is public through its meeting, never on its own.

        The one door for documents; it follows `Meeting.objects.published()` until the project's one
        publication rule replaces it.
        """
        return self.filter(meeting__in=Meeting.objects.published())


class Document(models.Model):
    """A file of a meeting: its agenda, a presentation, an outcome document, the original summary."""

    class Kind(models.TextChoices):
        SUMMARY = "summary", _("Original summary")
        AGENDA = "agenda", _("Agenda")
        PRESENTATION = "presentation", _("Presentation")
        OUTCOME = "outcome", _("Outcome document")
        OTHER = "other", _("Other document")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=300, help_text=_("As readers should see it, e.g. “Agenda”."))
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    content_type = models.CharField(
        _("type"), max_length=100, editable=False, help_text=_("Recognised from the file's content, not its name.")
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False, default=0)
    text = models.TextField(_("text"), blank=True, editable=False, help_text=_("The words of the file, for search."))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    changes_of = changes_of_field("self")

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "kind", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:document", kwargs={"slug": self.meeting.slug, "pk": self.pk})

    @property
    def filename(self) -> str:
        return str(self.file).rsplit("/", 1)[-1]


# Translations of summaries, in a module of their own; imported here so that Django finds their models.
from .translation_models import TranslatedText, Translation  # noqa: E402, F401
