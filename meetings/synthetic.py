"""A deterministic synthetic archive of realistic shape, for measuring pages and queries at scale.

Meetings over decades in several series; each with 20 to 60 participating actors and their roles,
6 to 12 paragraphs, interventions with one or two speakers, priority goals and officials. Written with
bulk operations, in batches, so that ten thousand meetings take minutes on PostgreSQL. The same seed
gives the same archive. Generated meetings have slugs starting with `generated-`.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

import pycountry
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from actors.models import Actor, Person, Position

from .models import Meeting, MeetingSeries, Paragraph, Participation, Passage, PriorityGoal

SLUG_PREFIX = "generated-"
SERIES = [
    ("Senior Officials Meetings", "Senior Officials Meeting"),
    ("Ministerial Conferences", "Ministerial Conference"),
    ("Thematic Meetings", "Thematic Meeting"),
    ("Regional Meetings", "Regional Meeting"),
    ("Working Group Meetings", "Working Group Meeting"),
]
PLACES = ["Budapest", "Istanbul", "Vienna", "Ankara", "Baku", "Tbilisi", "Islamabad", "Dhaka", "Skopje", "Sofia"]
SUBJECTS = [
    "Opening", "Participants", "Report of the Secretariat", "Plenary", "Interventions of states",
    "Interventions of organisations", "Thematic session", "Working groups", "Next steps", "Closing",
]  # fmt: skip
VERBS = ["highlighted", "shared", "reiterated", "underlined", "welcomed", "mentioned", "stressed", "noted"]
TOPICS = [
    "cooperation on return and readmission", "labour migration and skills partnerships",
    "the fight against migrant smuggling", "protection of victims of trafficking in human beings",
    "integration of migrants in host communities", "border management capacities",
    "awareness raising on the risks of irregular migration", "the rights of refugees and asylum seekers",
    "the link between migration and development", "diaspora engagement and remittances",
    "data collection and migration statistics", "visa facilitation and legal pathways",
]  # fmt: skip
TITLES = ["Director General", "Deputy Minister", "Head of Department", "Head of Unit", "Senior Adviser"]
FIRST_NAMES = ["Ana", "Ali", "Maria", "Jonas", "Elif", "Nodira", "Tomas", "Sara", "Imran", "Lejla", "Olga", "Peter"]
LAST_NAMES = ["Kovacs", "Yilmaz", "Rahman", "Novak", "Ivanova", "Berg", "Khan", "Popescu", "Hoxha", "Aliyev"]


@dataclass
class Sizes:
    """How much was made, for the command's report."""

    meetings: int = 0
    participations: int = 0
    paragraphs: int = 0
    passages: int = 0


def _countries(rng: random.Random, wanted: int) -> list[Actor]:
    """The countries of the fixture and, to reach `wanted`, more from the ISO 3166 list."""
    countries = list(Actor.objects.countries().order_by("iso_code"))
    taken = {c.iso_code for c in countries}
    missing = [c for c in pycountry.countries if c.alpha_2 not in taken]
    rng.shuffle(missing)
    new = [
        Actor(kind=Actor.Kind.COUNTRY, name=c.name, slug=f"{slugify(c.name)}-{c.alpha_2.lower()}", iso_code=c.alpha_2)
        for c in missing[: max(0, wanted - len(countries))]
    ]
    Actor.objects.bulk_create(new)
    return list(Actor.objects.countries().order_by("iso_code"))


def _officials(rng: random.Random, actors: list[Actor], count: int) -> list[Position]:
    made = (
        Position.objects.filter(person__slug__startswith=SLUG_PREFIX).select_related("actor").order_by("person__slug")
    )
    if made.exists():
        return list(made)
    Person.objects.bulk_create(
        Person(
            honorific=rng.choice(["Mr.", "Ms."]),
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            slug=f"{SLUG_PREFIX}person-{number}",
        )
        for number in range(count)
    )
    people = Person.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug")
    Position.objects.bulk_create(
        Position(person=person, title=rng.choice(TITLES), actor=rng.choice(actors)) for person in people
    )
    return list(made)


def _sentence(rng: random.Random, speaker: str, goals: list[int]) -> str:
    text = f"**{speaker}** {rng.choice(VERBS)} {rng.choice(TOPICS)}"
    if goals:
        numbers = " and ".join(str(n) for n in goals)
        text += f" under priority goal{'s' if len(goals) > 1 else ''} {numbers}"
    return text + f", as well as {rng.choice(TOPICS)}."


def delete_archive() -> int:
    """Remove the generated meetings (not the countries and people made for them)."""
    deleted, _by_model = Meeting.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    return deleted


def generate_archive(*, meetings: int, seed: int = 1, batch: int = 200, progress: Callable | None = None) -> Sizes:
    """Add `meetings` generated meetings to the database, on top of what is there (the 2020 fixture)."""
    rng = random.Random(seed)
    goals = {goal.number: goal for goal in PriorityGoal.objects.all()}
    if not goals:
        raise ValueError("Load the priority goals first: manage.py loaddata som-2020")
    series = [
        MeetingSeries.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0] for name, _title in SERIES
    ]
    # Each part draws from its own generator, so the meetings are the same whatever was made before.
    countries = _countries(random.Random(f"{seed}-countries"), wanted=60)
    organisations = list(Actor.objects.organisations().exclude(organisation_kind=Actor.OrganisationKind.DIALOGUE))
    secretariat = Actor.objects.filter(short_name="ICMPD").first() or organisations[0]
    officials = _officials(random.Random(f"{seed}-people"), countries + organisations, count=300)
    first_day = datetime.date(1993, 1, 1)
    span = (datetime.date(2026, 6, 30) - first_day).days
    start_number = Meeting.objects.filter(slug__startswith=SLUG_PREFIX).count()
    sizes = Sizes()
    for batch_start in range(start_number, start_number + meetings, batch):
        numbers = range(batch_start, min(batch_start + batch, start_number + meetings))
        with transaction.atomic():
            _generate_batch(rng, numbers, series, countries, organisations, secretariat, officials, goals,
                            first_day, span, sizes)  # fmt: skip
        if progress:
            progress(sizes)
    return sizes


def _generate_batch(rng, numbers, series, countries, organisations, secretariat, officials, goals, first_day, span,
                    sizes: Sizes) -> None:  # fmt: skip
    now = timezone.now()
    new_meetings = []
    for number in numbers:
        kind = rng.randrange(len(SERIES))
        start = first_day + datetime.timedelta(days=rng.randrange(span))
        days = rng.choice([0, 0, 1, 2])
        draft = rng.random() < 0.05
        new_meetings.append(
            Meeting(
                series=series[kind],
                title=f"{SERIES[kind][1]} {start.year}",
                slug=f"{SLUG_PREFIX}{number:06d}",
                start_date=start,
                end_date=start + datetime.timedelta(days=days) if days else None,
                format=rng.choice(list(Meeting.Format.values)),
                location=rng.choice(PLACES),
                participant_count=rng.randint(40, 160),
                status=Meeting.Status.DRAFT if draft else Meeting.Status.PUBLISHED,
                published_at=None if draft else now,
            )
        )
    Meeting.objects.bulk_create(new_meetings)
    saved = Meeting.objects.filter(slug__in=[m.slug for m in new_meetings]).order_by("slug")

    participations, paragraphs, plans = [], [], []
    for meeting in saved:
        present = rng.sample(countries, rng.randint(18, 48)) + rng.sample(
            organisations, rng.randint(2, min(12, len(organisations)))
        )
        if secretariat not in present:
            present.append(secretariat)
        chair, co_chair = rng.sample([a for a in present if a.kind == Actor.Kind.COUNTRY], 2)
        for actor in present:
            role = Participation.Role.PARTICIPANT
            if actor == chair:
                role = Participation.Role.CHAIR
            elif actor == co_chair:
                role = Participation.Role.CO_CHAIR
            elif actor == secretariat:
                role = Participation.Role.SECRETARIAT
            participations.append(Participation(meeting=meeting, actor=actor, role=role))
        for number in range(1, rng.randint(6, 12) + 1):
            paragraphs.append(Paragraph(meeting=meeting, number=number, subject=rng.choice(SUBJECTS)))
            plans.append((meeting, number, present))
    Participation.objects.bulk_create(participations)
    Paragraph.objects.bulk_create(paragraphs)
    paragraph_ids = {
        (meeting_id, number): pk
        for pk, meeting_id, number in Paragraph.objects.filter(meeting__in=saved).values_list(
            "id", "meeting_id", "number"
        )
    }

    passages, speakers, tags = [], [], []
    for meeting, number, present in plans:
        for order in range(1, rng.randint(1, 6) + 1):
            voices = rng.sample(present, rng.choice([1, 1, 1, 2]))
            named = sorted(rng.sample(list(goals), rng.choice([0, 0, 1, 1, 2])))
            text = _sentence(rng, " and ".join(v.label for v in voices), named)
            official = rng.choice(officials) if rng.random() < 0.1 else None
            passages.append(
                Passage(paragraph_id=paragraph_ids[(meeting.pk, number)], order=order, text=text, official=official)
            )
            speakers.append(voices)
            tags.append(named)
    Passage.objects.bulk_create(passages)
    saved_passages = Passage.objects.filter(paragraph_id__in=paragraph_ids.values()).order_by("paragraph_id", "order")
    by_place = {(p.paragraph_id, p.order): p.pk for p in saved_passages.only("id", "paragraph_id", "order")}
    speaker_rows, goal_rows = [], []
    for passage, voices, named in zip(passages, speakers, tags, strict=True):
        pk = by_place[(passage.paragraph_id, passage.order)]
        speaker_rows += [Passage.speakers.through(passage_id=pk, actor_id=actor.pk) for actor in voices]
        goal_rows += [Passage.goals.through(passage_id=pk, prioritygoal_id=goals[n].pk) for n in named]
    Passage.speakers.through.objects.bulk_create(speaker_rows)
    Passage.goals.through.objects.bulk_create(goal_rows)

    sizes.meetings += len(new_meetings)
    sizes.participations += len(participations)
    sizes.paragraphs += len(paragraphs)
    sizes.passages += len(passages)
