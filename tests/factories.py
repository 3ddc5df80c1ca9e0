"""Small factories for focused test setup; the 2020 fixture is loaded only by tests about it."""

import datetime

import factory
from django.utils import timezone

from actors.models import Actor, Person, Position, Region
from meetings.models import (
    CallForAction,
    Footnote,
    Meeting,
    MeetingSeries,
    Paragraph,
    Participation,
    Passage,
    PriorityGoal,
)


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


def _iso_code(n: int) -> str:
    """Two-letter codes from the user-assigned ranges (QM-QZ, XA-XZ, ZZ...), never a real country's."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    first = "QX"[n // 26 % 2]
    return first + letters[n % 26]


class CountryFactory(factory.django.DjangoModelFactory[Actor]):
    class Meta:
        model = Actor
        django_get_or_create = ("iso_code",)

    kind = Actor.Kind.COUNTRY
    name = factory.Sequence(lambda n: f"Testland {n}")
    slug = factory.Sequence(lambda n: f"testland-{n}")
    iso_code = factory.Sequence(_iso_code)


class OrganisationFactory(factory.django.DjangoModelFactory[Actor]):
    class Meta:
        model = Actor

    kind = Actor.Kind.ORGANISATION
    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    slug = factory.Sequence(lambda n: f"test-organisation-{n}")
    short_name = factory.Sequence(lambda n: f"TO{n}")
    organisation_kind = Actor.OrganisationKind.INTERNATIONAL


class InstitutionFactory(factory.django.DjangoModelFactory[Actor]):
    class Meta:
        model = Actor

    kind = Actor.Kind.INSTITUTION
    name = factory.Sequence(lambda n: f"Ministry {n}")
    slug = factory.Sequence(lambda n: f"ministry-{n}")
    parent = factory.SubFactory(CountryFactory)


class GroupFactory(factory.django.DjangoModelFactory[Actor]):
    class Meta:
        model = Actor

    kind = Actor.Kind.GROUP
    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    honorific = "Ms."
    name = factory.Sequence(lambda n: f"Official {n}")
    slug = factory.Sequence(lambda n: f"official-{n}")


class PositionFactory(factory.django.DjangoModelFactory[Position]):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    title = "Head of Unit"
    actor = factory.SubFactory(InstitutionFactory)


class CallForActionFactory(factory.django.DjangoModelFactory[CallForAction]):
    """By default the Call for Action 2019–2024, whose goal numbers summaries cite from 2013 to 2024."""

    class Meta:
        model = CallForAction
        django_get_or_create = ("slug",)

    slug = "2019-2024"
    name = factory.LazyAttribute(lambda o: f"Call for Action {o.period}")
    period = factory.LazyAttribute(lambda o: o.slug.replace("-", "–"))
    start_date = datetime.date(2013, 4, 19)
    end_date = datetime.date(2024, 12, 31)


class PriorityGoalFactory(factory.django.DjangoModelFactory[PriorityGoal]):
    class Meta:
        model = PriorityGoal
        django_get_or_create = ("framework", "number")

    framework = factory.SubFactory(CallForActionFactory)

    number = factory.Sequence(lambda n: n % 6 + 1)
    title = factory.LazyAttribute(lambda o: f"Goal {o.number}")
    text = factory.LazyAttribute(lambda o: f"The full text of priority goal {o.number}.")


class MeetingSeriesFactory(factory.django.DjangoModelFactory[MeetingSeries]):
    class Meta:
        model = MeetingSeries
        django_get_or_create = ("slug",)

    name = "Senior Officials Meetings"
    slug = "senior-officials-meetings"


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    series = factory.SubFactory(MeetingSeriesFactory)
    title = factory.Sequence(lambda n: f"Thematic Meeting {n}")
    slug = factory.Sequence(lambda n: f"thematic-meeting-{n}")
    start_date = datetime.date(2019, 6, 1)
    format = Meeting.Format.IN_PERSON
    location = "Istanbul, Turkey"
    participant_count = 50
    status = Meeting.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class ParticipationFactory(factory.django.DjangoModelFactory[Participation]):
    class Meta:
        model = Participation

    meeting = factory.SubFactory(MeetingFactory)
    actor = factory.SubFactory(CountryFactory)
    role = Participation.Role.PARTICIPANT


class ParagraphFactory(factory.django.DjangoModelFactory[Paragraph]):
    class Meta:
        model = Paragraph

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    subject = "Interventions"


class PassageFactory(factory.django.DjangoModelFactory[Passage]):
    class Meta:
        model = Passage
        skip_postgeneration_save = True

    paragraph = factory.SubFactory(ParagraphFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Passage number {n} of the summary.")

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if create and extracted:
            self.speakers.add(*extracted)

    @factory.post_generation
    def goals(self, create, extracted, **kwargs):
        if create and extracted:
            self.goals.add(*extracted)


class FootnoteFactory(factory.django.DjangoModelFactory[Footnote]):
    class Meta:
        model = Footnote

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "A footnote."
