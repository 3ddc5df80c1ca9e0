"""What kind of passage a run of a summary's text is: a statement, the Chair's procedure, a report or narrative.

`propose_kind` is a pure function of the words and of who speaks in what role: the importer calls it for
each passage and keeps the words that decided, and the editor can change the kind in the admin.
"""

import re

from .models import Passage

# The Chair (or a session's Moderator) as the subject of the first sentence: "The Chair", "The Turkish Chair", "The
# Hungarian Co-Chair", "The co-chairs", "The Moderator", or a chair and a co-chair named each with their role
# ("Uzbekistan, as Chair, and Hungary, as Co-Chair").
_AS_ROLE = r"[A-Z][^,.;]{0,60},\s+as\s+(?:the\s+)?(?:Co-)?Chair,\s+"
_HOLDER = r"(?:\*\*)?[A-Z][^(*.;]{0,60}\((?:Co-)?Chair\)(?:\*\*)?"  # "**Türkiye (Chair)**"
# An opening clause may come first: "On the second day, the Chair invited …".
_CHAIR_SUBJECT = (
    rf"^\W*(?:[A-Z][^,.;]{{0,60}},\s+)?"
    rf"(?:{_AS_ROLE}and\s+{_AS_ROLE}|{_HOLDER}|(?:the\s+)?(?:\*\*)?(?:[A-Z][\w-]*\s+)?(?:(?:Co-)?Chair|Moderator|Facilitator)(?:\*\*)?)"
)
_PROCEDURAL_VERBS = (
    r"(?:gave|gives|giving)\s+the\s+floor|opened|closed|invited|thanked|concluded|adjourned|welcomed|"
    r"handed\s+over|moved\s+to|introduced\s+the\s+(?:agenda|session)"
)
# The Secretariat: "The Budapest Process Secretariat", "**Secretariat**", "the Secretariat (ICMPD)".
_SECRETARIAT = r"\bSecretariat\)?(?:\*\*)?(?:\s*\([A-Z]{2,10}\))?"  # "**ICMPD (Secretariat)**" too
PROCEDURE = re.compile(
    rf"{_CHAIR_SUBJECT}[^.]*?\b(?P<verb>{_PROCEDURAL_VERBS})\b"
    # What the Secretariat will do for the meeting (an action point: "The Secretariat to circulate …"), a point of a
    # list ("a) the Secretariat will compile …") or a sub-paragraph ("3.2 The Secretariat will circulate …") too.
    rf"|^\W*(?:[a-z]{{1,4}}[.)]\s+|\d{{1,3}}\.\d{{1,2}}\.?\s+)?(?:the\s+)?(?:[A-Z][\w-]*\s+){{0,2}}?{_SECRETARIAT}\s+(?:will|shall|is\s+to|to)\s+\w+"
    # The Chair in the passive: "The Conference was opened by the Turkish Chairmanship" (not "… by Germany").
    r"|^\W*(?:the\s+)?(?:[\w-]+\s+){1,4}?(?:was|were)\s+(?P<passive>opened|closed|concluded|adjourned)\s+by\s+"
    r"(?:the\s+)?(?:[A-Z][\w-]*\s+)?(?:Co-)?Chair"
    # Whoever opens or closes the meeting itself chairs it: "Moldova opened the meeting and welcomed …" (not a
    # session or a day: "Germany opened the second session with a presentation" is Germany speaking).
    r"|^\W*(?:the\s+)?[A-Z][^,.;]{0,60}?\s+(?:formally\s+|officially\s+)?(?:opened|closed)\s+the\s+"
    r"(?:meeting|conference|SOM|ministerial\s+conference)\b"
    # A session run by anyone: "The session was moderated by Ms. X (IOM), who …".
    r"|^\W*(?:the\s+)?(?:[\w-]+\s+){1,4}?(?:was|were)\s+(?P<run>moderated|chaired|facilitated)\s+by\s+",
    re.IGNORECASE,
)
# The Secretariat presenting: "The Budapest Process Secretariat then presented", "the Secretariat highlighted", "The
# Secretariat informed participants that …", the Secretariat given the floor "…, which presented".
REPORT = re.compile(
    rf"{_SECRETARIAT}(?:,\s+which|,\s+represented\s+by\s+[^,]{{1,60}},)?\s+(?:then\s+|also\s+)?"
    r"(?P<verb>presented|reported|highlighted|outlined|gave an overview|informed|briefed|updated)\b",
    re.IGNORECASE,
)


# The end of the first sentence, not the dot of "Ms. Anna Weber" or "H.E. Mr. X".
_SENTENCE_END = re.compile(r"(?<=[.;])(?<!\bM[rs]\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bE\.)\s")


def propose_kind(text: str, *, speakers: int) -> tuple[str, str]:
    """The kind of a passage (a `Passage.Kind` value) and the words that decided it.

    `speakers`: how many speakers the passage has. Without one it is narrative; the Chair, as the
    subject of the first sentence, opening, giving the floor, inviting or closing is procedure, and so is what
    the Secretariat will do ("The Secretariat will circulate …"); the Secretariat presenting or reporting is a
    report; anything else a speaker says is a statement.
    Only the first sentence decides: the Chair's opening words may go on to say something of substance.
    """
    if speakers == 0:
        return Passage.Kind.NARRATIVE, "no speaker"
    first_sentence = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    if match := PROCEDURE.search(first_sentence):
        return Passage.Kind.PROCEDURE, _plain(match.group(0))
    if match := REPORT.search(first_sentence):
        return Passage.Kind.REPORT, _plain(match.group(0))
    return Passage.Kind.STATEMENT, "a speaker, and no words of procedure or report"


def _plain(words: str) -> str:
    return " ".join(words.replace("**", "").split())
