"""What a change makes stale: the page cache tags that a saved or deleted record affects.

Receivers note each change (``budapest.cache.record_change``); when its transaction commits,
``tags_for`` turns what was noted into tags with a few queries, however many rows changed, and the
cache bumps them. Cache invalidation is infrastructure, not business logic: services and the admin
know nothing of it, and it runs the same for changes made in the admin, the API, a service or a shell.

The tags (pages declare theirs with ``budapest.cache.cached_page``):

    site            every page: the titles of the priority goals, data loaded with loaddata
    meetings        lists of meetings and what they show (home, list, feed, calendar, sitemap, search,
                    counts of meetings on the lists of countries and organisations)
    passages        pages that count or search every published passage (goals, matrix, search)
    actors          countries and organisations by name (their lists, filters, matrix, search)
    people          the officials that search finds
    meeting:<slug>  a meeting's page and its calendar
    actor:<slug>    a country's or organisation's page, feed, calendar and spreadsheet
    goal:<number>   a priority goal's page

Only meetings the public sees (published, also for later, or withdrawn) reach public pages: a draft
can be edited a hundred times and flush nothing.
"""

from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from actors.models import Actor, Person, Position, Region
from budapest.cache import (
    SITE_TAG,
    Changes,
    configure_schedule,
    pending_changes,
    record_change,
    register_resolver,
)

from .models import Footnote, Meeting, MeetingSeries, Paragraph, Participation, Passage, PriorityGoal

PUBLIC = (Meeting.Status.PUBLISHED, Meeting.Status.WITHDRAWN)
Speakers = Passage.speakers.through
Goals = Passage.goals.through
Members = Actor.members.through


# What the changes noted in a transaction make stale.


def tags_for(changes: Changes) -> set[str]:
    """The tags to bump for these changes, read from the database as it is now (after the commit)."""
    tags = set(changes["tag"])
    # A meeting that was public before this change (published, then made a draft) still counts.
    was_public = changes["meeting-was-public"]
    public_meeting = Q(status__in=PUBLIC) | Q(pk__in=was_public)
    public_passage = Q(paragraph__meeting__status__in=PUBLIC) | Q(paragraph__meeting__in=was_public)

    # Meetings named by the changes: which the public sees, and their addresses.
    participations = changes["participation"]
    old_slugs = changes["meeting-slug"]
    named = changes["meeting"] | changes["meeting-page"] | {m for m, _ in participations} | {m for m, _ in old_slugs}
    public = dict(Meeting.objects.filter(public_meeting, pk__in=named).values_list("pk", "slug")) if named else {}
    whole = {pk for pk in changes["meeting"] if pk in public}  # changed as a whole: facts, publication
    if changes["series"]:
        in_series = dict(Meeting.objects.filter(public_meeting, series__in=changes["series"]).values_list("pk", "slug"))
        public.update(in_series)
        whole |= in_series.keys()
    tags |= {f"meeting:{slug}" for slug in public.values()}
    tags |= {f"meeting:{slug}" for pk, slug in old_slugs if pk in public}
    if whole:
        tags.add("meetings")
    if changes["visibility"] & whole:
        tags.add("passages")  # the published set changed: counts and search
    actor_ids = set(changes["actor-page"])
    shown = {(m, a) for m, a in participations if m in public}
    if shown:
        tags.add("meetings")  # the lists count the countries of each meeting
        actor_ids |= {a for _, a in shown}
    if whole:
        actor_ids |= set(Participation.objects.filter(meeting__in=whole).values_list("actor_id", flat=True))

    # Passages changed one by one, or through what they show (their speakers' names, their officials).
    direct = Q(pk__in=changes["passage"]) | Q(paragraph__in=changes["paragraph"])
    any_direct = bool(changes["passage"] or changes["paragraph"])
    if changes["actor"]:
        # An actor's name is on its page, its institutions' parent's page and its groups' members' pages,
        # on the meetings it (or one of its institutions) attended and on every passage it spoke.
        tags.add("actors")
        actor_ids |= changes["actor"]
        family = Actor.objects.filter(Q(pk__in=changes["actor"]) | Q(parent__in=changes["actor"])).values("pk")
        attended = Participation.objects.filter(Q(actor__in=family) | Q(represented_by__in=family)).values("meeting")
        tags |= {f"meeting:{slug}" for slug in Meeting.objects.filter(public_meeting, pk__in=attended).values_list(
            "slug", flat=True)}  # fmt: skip
        direct |= Q(pk__in=Speakers.objects.filter(actor__in=family).values("passage"))
        any_direct = True
    if changes["person"] or changes["position"]:
        tags.add("people")
        officials = Position.objects.filter(Q(pk__in=changes["position"]) | Q(person__in=changes["person"]))
        direct |= Q(official__in=officials.values("pk"))
        any_direct = True
    if changes["region"]:
        tags.add("actors")
        actor_ids |= set(Actor.objects.filter(regions__in=changes["region"]).values_list("pk", flat=True))

    scope = Q(pk__in=[])
    if any_direct:
        passages = Passage.objects.filter(public_passage).filter(direct)
        paragraphs = Paragraph.objects.filter(pk__in=changes["paragraph"], meeting__in=Meeting.objects.filter(
            public_meeting))  # fmt: skip
        slugs = set(
            Meeting.objects.filter(
                Q(pk__in=passages.values("paragraph__meeting")) | Q(pk__in=paragraphs.values("meeting"))
            ).values_list("slug", flat=True)
        )
        if slugs:
            tags.add("passages")
            tags |= {f"meeting:{slug}" for slug in slugs}
        scope |= direct
    if whole:
        scope |= Q(paragraph__meeting__in=whole)
    speakers = None
    goal_ids = set()
    if any_direct or whole:
        affected = Passage.objects.filter(public_passage).filter(scope).values("pk")
        speakers = Speakers.objects.filter(passage__in=affected).values("actor")
        goal_ids |= set(Goals.objects.filter(passage__in=affected).values_list("prioritygoal_id", flat=True))

    # Speakers and goals a passage no longer has: their pages showed it.
    removed = changes["speaker"] | changes["goal"]
    if removed:
        seen = set(Passage.objects.filter(public_passage, pk__in={p for p, _ in removed}).values_list("pk", flat=True))
        actor_ids |= {a for p, a in changes["speaker"] if p in seen}
        goal_ids |= {g for p, g in changes["goal"] if p in seen}

    if goal_ids:
        numbers = PriorityGoal.objects.filter(pk__in=goal_ids).values_list("number", flat=True)
        tags |= {f"goal:{number}" for number in numbers}
    if actor_ids or speakers is not None:
        tags |= {f"actor:{slug}" for slug in _pages_showing(actor_ids, speakers)}
    return tags


def _pages_showing(actor_ids: set, speakers=None) -> set[str]:
    """The slugs of the pages that show these actors' words: their own, their parent's, their members'."""
    condition = Q(pk__in=actor_ids)
    if speakers is not None:
        condition |= Q(pk__in=speakers)
    actors = Actor.objects.filter(condition).values("pk")
    parents = Actor.objects.filter(pk__in=actors).values("parent")
    members = Members.objects.filter(from_actor__in=actors).values("to_actor")
    pages = Actor.objects.with_public_page().filter(Q(pk__in=actors) | Q(pk__in=parents) | Q(pk__in=members))
    return set(pages.values_list("slug", flat=True))


def _now_or_at_commit(**kinds) -> None:
    """For a deletion: work out the tags now, while the rows still exist, and bump them at commit."""
    changes = Changes()
    for kind, items in kinds.items():
        changes[kind].update(items)
    tags = tags_for(changes)
    if tags:
        record_change("tag", *tags)


def _meeting_is_public(meeting_id) -> bool:
    """Whether the public sees a meeting, looked up once per transaction (a deletion cascades to many rows)."""
    memo = pending_changes().memo
    if ("meeting", meeting_id) not in memo:
        status = Meeting.objects.filter(pk=meeting_id).values_list("status", flat=True).first()
        memo["meeting", meeting_id] = status in PUBLIC
    return memo["meeting", meeting_id]


def _paragraph_is_public(paragraph_id) -> bool:
    memo = pending_changes().memo
    if ("paragraph", paragraph_id) not in memo:
        meeting_id = Paragraph.objects.filter(pk=paragraph_id).values_list("meeting_id", flat=True).first()
        memo["paragraph", paragraph_id] = meeting_id is not None and _meeting_is_public(meeting_id)
    return memo["paragraph", paragraph_id]


def next_publication() -> float | None:
    """When the next meeting published for later becomes public (a timestamp), or None."""
    due = Meeting.objects.scheduled().aggregate(due=Min("published_at"))["due"]
    return due.timestamp() if due else None


# Receivers: they note what changed, nothing more.


def _before(instance, *fields) -> dict | None:
    """The row as it is in the database before this save, for what a save can move (a slug, a status)."""
    if instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first()


def _remember_before(*fields):
    def receiver(sender, instance, raw=False, **kwargs):
        instance._page_cache_before = None if raw else _before(instance, *fields)

    return receiver


def _loaded(raw: bool) -> bool:
    """A row written by loaddata (a fixture, a restored backup): every page may change."""
    if raw:
        record_change("tag", SITE_TAG)
    return raw


def meeting_saved(sender, instance, created, raw=False, **kwargs):
    if _loaded(raw):
        return
    before = getattr(instance, "_page_cache_before", None)
    record_change("meeting", instance.pk)
    if before is None:
        record_change("visibility", instance.pk)
        return
    if before["status"] in PUBLIC:
        record_change("meeting-was-public", instance.pk)
    if before["slug"] != instance.slug:
        record_change("meeting-slug", (instance.pk, before["slug"]))
    if (before["status"], before["published_at"]) != (instance.status, instance.published_at):
        record_change("visibility", instance.pk)


def meeting_deleting(sender, instance, **kwargs):
    if instance.status in PUBLIC:
        pk = {instance.pk}
        _now_or_at_commit(meeting=pk, visibility=pk, **{"meeting-was-public": pk})


def participation_saved(sender, instance, raw=False, **kwargs):
    if _loaded(raw):
        return
    record_change("participation", (instance.meeting_id, instance.actor_id))
    before = getattr(instance, "_page_cache_before", None)
    if before and (before["meeting_id"], before["actor_id"]) != (instance.meeting_id, instance.actor_id):
        record_change("participation", (before["meeting_id"], before["actor_id"]))


def participation_deleted(sender, instance, **kwargs):
    record_change("participation", (instance.meeting_id, instance.actor_id))


def paragraph_saved(sender, instance, raw=False, **kwargs):
    if _loaded(raw):
        return
    record_change("paragraph", instance.pk)
    before = getattr(instance, "_page_cache_before", None)
    if before and before["meeting_id"] != instance.meeting_id:
        record_change("meeting-page", before["meeting_id"])


def paragraph_deleting(sender, instance, **kwargs):
    if _meeting_is_public(instance.meeting_id):
        _now_or_at_commit(paragraph={instance.pk})


def passage_saved(sender, instance, raw=False, **kwargs):
    if _loaded(raw):
        return
    record_change("passage", instance.pk)
    before = getattr(instance, "_page_cache_before", None)
    if before and before["paragraph_id"] != instance.paragraph_id:
        record_change("paragraph", before["paragraph_id"])


def passage_deleting(sender, instance, **kwargs):
    if _paragraph_is_public(instance.paragraph_id):
        _now_or_at_commit(passage={instance.pk})


def footnote_changed(sender, instance, raw=False, **kwargs):
    if not _loaded(raw):
        record_change("meeting-page", instance.meeting_id)


def actor_saved(sender, instance, raw=False, **kwargs):
    if _loaded(raw):
        return
    record_change("actor", instance.pk)
    before = getattr(instance, "_page_cache_before", None)
    if before and before["slug"] != instance.slug:
        record_change("tag", f"actor:{before['slug']}")


def _noter(kind: str):
    """A receiver that notes a saved row by its primary key; for a deletion, works out its tags at once."""

    def saved(sender, instance, raw=False, **kwargs):
        if not _loaded(raw):
            record_change(kind, instance.pk)

    def deleting(sender, instance, **kwargs):
        _now_or_at_commit(**{kind: {instance.pk}})

    return saved, deleting


def goal_changed(sender, instance, raw=False, **kwargs):
    record_change("tag", SITE_TAG)  # goal titles are on nearly every page


def _relation_changed(source: str, target: str, note):
    """An m2m_changed receiver: ``note`` gets the (source, target) pairs added, removed or cleared."""

    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if action == "pre_clear":
            mine, other = (target, source) if reverse else (source, target)
            pk_set = set(sender.objects.filter(**{f"{mine}_id": instance.pk}).values_list(f"{other}_id", flat=True))
        elif action not in ("post_add", "post_remove"):
            return
        if pk_set:
            note({(pk, instance.pk) if reverse else (instance.pk, pk) for pk in pk_set})

    return receiver


def _speakers(pairs):
    record_change("passage", *{p for p, _ in pairs})
    record_change("speaker", *pairs)


def _goals(pairs):
    record_change("passage", *{p for p, _ in pairs})
    record_change("goal", *pairs)


def _members(pairs):
    record_change("actor-page", *{a for pair in pairs for a in pair})


def _regions(pairs):
    record_change("actor-page", *{a for a, _ in pairs})
    record_change("tag", "actors")


def _participants(pairs):
    record_change("participation", *pairs)


def _connect(signal, receiver, sender):
    # Strong references: most receivers here are closures that nothing else keeps.
    signal.connect(receiver, sender=sender, weak=False, dispatch_uid=f"page_cache.{receiver.__qualname__}")


def connect() -> None:
    """Connect the receivers (MeetingsConfig.ready)."""
    for model, fields in (
        (Meeting, ("slug", "status", "published_at")),
        (Participation, ("meeting_id", "actor_id")),
        (Paragraph, ("meeting_id",)),
        (Passage, ("paragraph_id",)),
        (Actor, ("slug",)),
    ):
        _connect(pre_save, _remember_before(*fields), model)
    _connect(post_save, meeting_saved, Meeting)
    _connect(pre_delete, meeting_deleting, Meeting)
    _connect(post_save, participation_saved, Participation)
    _connect(post_delete, participation_deleted, Participation)
    _connect(post_save, paragraph_saved, Paragraph)
    _connect(pre_delete, paragraph_deleting, Paragraph)
    _connect(post_save, passage_saved, Passage)
    _connect(pre_delete, passage_deleting, Passage)
    _connect(post_save, footnote_changed, Footnote)
    _connect(post_delete, footnote_changed, Footnote)
    _connect(post_save, actor_saved, Actor)
    _connect(pre_delete, _noter("actor")[1], Actor)
    for model, kind in ((Person, "person"), (Position, "position"), (Region, "region"), (MeetingSeries, "series")):
        saved, deleting = _noter(kind)
        _connect(post_save, saved, model)
        _connect(pre_delete, deleting, model)
    _connect(post_save, goal_changed, PriorityGoal)
    _connect(post_delete, goal_changed, PriorityGoal)
    for through, source, target, note in (
        (Speakers, "passage", "actor", _speakers),
        (Goals, "passage", "prioritygoal", _goals),
        (Members, "from_actor", "to_actor", _members),
        (Actor.regions.through, "actor", "region", _regions),
        (Participation, "meeting", "actor", _participants),
    ):
        _connect(m2m_changed, _relation_changed(source, target, note), through)
    register_resolver(tags_for)
    configure_schedule(next_publication=next_publication, tag="meetings")
