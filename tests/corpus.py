"""The held-out corpus: summaries written for the importer's tests, each with the records it must give.

`score(summary, expected)` compares what was recognised with the records written down in the summary's
.yaml file, one figure per kind of record (1.0 is all right); tests/test_importer_corpus.py holds the
importer to at least 0.95 on each.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

import yaml

from meetings.importer import Summary, summary_from_file, summary_from_upload
from meetings.importer.parse import strip_bold
from meetings.importer.recognise import COUNTRY, ORGANISATION, ActorMatch
from meetings.kinds import propose_kind

from . import corpus_baku, corpus_docx, corpus_sarajevo, corpus_yerevan

CORPUS = Path(__file__).parent / "data" / "corpus"
# The Word summaries, each built by its test module (a .docx is not kept in the repository).
BUILDERS = {
    "tbilisi-2023.docx": corpus_docx.build,
    "baku-2025.docx": corpus_baku.build,
    "sarajevo-2022.docx": corpus_sarajevo.build,
    "yerevan-2026.docx": corpus_yerevan.build,
}
NAMES = sorted(path.stem for path in CORPUS.glob("*.yaml"))


def expected(name: str) -> dict:
    return yaml.safe_load((CORPUS / f"{name}.yaml").read_text())


def read(name: str, tmp_path: Path) -> Summary:
    record = expected(name)
    if record["file"].endswith(".docx"):
        path = BUILDERS[record["file"]](tmp_path / record["file"])
        return summary_from_upload(name=path.name, data=path.read_bytes())
    return summary_from_file(CORPUS / record["file"])


def key(match: ActorMatch | None) -> str | None:
    """How the .yaml files name an actor: ISO code for a country, acronym or name otherwise."""
    if match is None:
        return None
    return match.code or match.name


@dataclass
class Score:
    right: int
    total: int
    wrong: list[str]

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0


def _sets(expected: list, found: list) -> Score:
    expected_set, found_set = set(map(str, expected)), set(map(str, found))
    wrong = [f"missing {name}" for name in sorted(expected_set - found_set)]
    wrong += [f"not expected {name}" for name in sorted(found_set - expected_set)]
    return Score(len(expected_set & found_set), len(expected_set | found_set), wrong)


def passage_starting(summary: Summary, words: str):
    for paragraph in summary.paragraphs:
        for passage in paragraph.passages:
            if strip_bold(passage.text).startswith(words):
                return passage
    return None


def score(summary: Summary, record: dict) -> dict[str, Score]:
    participants = summary.participants
    scores = {
        "countries": _sets(record["countries"], [key(m) for m in participants if m.kind == COUNTRY]),
        "organisations": _sets(record["organisations"], [key(m) for m in participants if m.kind == ORGANISATION]),
    }
    for kind, field in (("speakers", "speakers"), ("goal tags", "goals")):
        right, wrong = 0, []
        for item in record["interventions"]:
            passage = passage_starting(summary, item["starts"])
            if passage is None:
                wrong.append(f"no passage starts “{item['starts']}”")
                continue
            found = [key(m) for m in passage.speakers] if field == "speakers" else passage.goals
            if sorted(map(str, found)) == sorted(map(str, item[field])):
                right += 1
            else:
                wrong.append(f"“{item['starts']}”: {found} instead of {item[field]}")
        scores[kind] = Score(right, len(record["interventions"]), wrong)
    scores["passage kinds"] = _kinds(summary, [item for item in record["interventions"] if "kind" in item])
    right, wrong = 0, []
    people = {person.name: person for person in summary.people}
    for official in record["officials"]:
        person = people.get(official["name"])
        got = None
        if person is not None and person.affiliation is not None:
            parent = person.affiliation.parent
            got = {
                "name": person.name,
                "title": person.title,
                "institution": person.affiliation.name,
                "of": parent.name if parent else None,
            }
        if got == official:
            right += 1
        else:
            wrong.append(f"{official['name']}: {got}")
    scores["officials"] = Score(right, len(record["officials"]), wrong)
    return scores


def _kinds(summary: Summary, items: list[dict]) -> Score:
    """The kind each passage is saved with (statement, procedure, report, narrative), where the .yaml gives it."""
    right, wrong = 0, []
    for item in items:
        passage = passage_starting(summary, item["starts"])
        found = propose_kind(passage.text, speakers=len(passage.speakers))[0] if passage else None
        if found == item["kind"]:
            right += 1
        else:
            wrong.append(f"“{item['starts']}”: {found} instead of {item['kind']}")
    return Score(right, len(items), wrong)


def dates_of(record: dict) -> tuple[datetime.date | None, datetime.date | None]:
    return record["start_date"], record["end_date"]
