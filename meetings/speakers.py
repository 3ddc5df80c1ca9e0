"""The speaker index of a meeting page: each speaker, with a link to each of its interventions on the page."""

from dataclasses import dataclass, field

from actors.models import Actor

from .models import Meeting, Passage


@dataclass
class Speaker:
    actor: Actor
    passages: list[Passage] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """Where "jump to" lands: the first intervention."""
        return self.passages[0].anchor


def speaker_index(meeting: Meeting) -> list[Speaker]:
    """Every speaker of a loaded meeting (its paragraphs, passages and speakers prefetched), by name."""
    speakers: dict[int, Speaker] = {}
    for paragraph in meeting.paragraphs.all():
        for passage in paragraph.passages.all():
            for actor in passage.speakers.all():
                speakers.setdefault(actor.pk, Speaker(actor)).passages.append(passage)
    return sorted(speakers.values(), key=lambda speaker: speaker.actor.label.casefold())


def first_interventions(index: list[Speaker]) -> dict[int, str]:
    """Actor id → the anchor of its first intervention, for the participants list."""
    return {speaker.actor.pk: speaker.anchor for speaker in index}
