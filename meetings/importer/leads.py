"""Where a sentence names its speakers after words that are not theirs, read without the database.

    names_after_words("Participants from Serbia described …")  → "Serbia described …"
    post_holders("The Minister of Labour of Azerbaijan stressed …") → ["Labour of Azerbaijan", "Azerbaijan"]
    together("Germany, together with IOM, presented …") → ("Germany", "IOM")
    eu_with_members("The EU and its Member States stressed …") → True

The parser reads the names from where these say they start (`parse.name_run`) and asks the recogniser which
are actors. Every pattern is anchored at the sentence's start and bounded, so that it runs in linear time.
"""

from __future__ import annotations

import re

# "The representative of Bosnia and Herzegovina noted …", "The delegations of Bulgaria and Romania …",
# "Participants from Serbia described …" (from a country: "Participants agreed …" names no one).
_DELEGATION = re.compile(
    r"^(?:[Tt]he\s+)?(?:(?:[Hh]eads?\s+of\s+(?:the\s+)?)?"
    r"(?:[Rr]epresentatives?|[Dd]elegations?|[Dd]elegates?|[Dd]elegation\s+members?)\s+(?:of|from)"
    r"|[Pp]articipants?\s+from)\s+(?:the\s+)?(?=[A-Z])"
)
# "The floor was then given to Uzbekistan, which described …": the speaker is the one given the floor (the Chair
# or the Secretariat given it open their own passage: parse._FLOOR_TO_ROLE).
_FLOOR_TO = re.compile(
    r"^(?:[Tt]he\s+)?floor\s+was\s+(?:then\s+|subsequently\s+|next\s+)?(?:given|passed|handed)\s+to\s+(?:the\s+)?"
    r"(?!(?:Co-?)?Chair|(?:Budapest Process\s+)?Secretariat)(?=[A-Z])"
)
# "The second day was opened by Germany, which described …": who opened, chaired or closed a part of the meeting
# (an official by name, "opened by Mr. X", is read as an official is).
_DONE_BY = re.compile(
    r"^(?:[Tt]he\s+)?(?:[\w-]+\s+){1,4}?(?:was|were)\s+(?:opened|introduced|moderated|chaired|closed|concluded|"
    r"delivered|made)"
    r"\s+by\s+(?:the\s+)?(?!(?:Mr|Ms|Mrs|Dr|H\.\s?E)\b)(?=[A-Z])"
)


# "The representative of IOM and the representative of ICMPD": the second speaker named the same way.
_AND_ANOTHER = re.compile(
    r"\s+and\s+(?:the\s+)?(?:[Rr]epresentatives?|[Dd]elegations?|[Dd]elegates?)\s+(?:of|from)\s+(?:the\s+)?(?=[A-Z])"
)


def names_after_words(sentence: str) -> str | None:
    """The sentence from the name of the speakers on, where words that are not theirs come first; else None."""
    for pattern in (_DELEGATION, _FLOOR_TO, _DONE_BY):
        found = pattern.match(sentence)
        if found:
            return _AND_ANOTHER.sub(" and ", sentence[found.end() :])
    return None


# A post whose holder speaks for their country: "The Permanent Representative of Pakistan to …", "The Minister of
# Labour and Social Protection of Azerbaijan". A post word is needed: "The Republic of Tajikistan noted" is a country.
_POST_WORDS = (
    r"(?:Minister|Ambassador|Representative|Director|Head|Secretary|Commissioner|Chief|President|Governor|Envoy|"
    r"Consul|Adviser|Advisor|Coordinator|Spokesperson)"
)
_POST = re.compile(rf"^(?:[Tt]he\s+)?(?:[A-Z][\w-]*\s+){{0,3}}?{_POST_WORDS}s?\s+(?:of|for)\s+(?:the\s+)?(?=[A-Z])")
# Where a post's country ends: "Pakistan to the United Nations Office at Geneva".
_POST_PLACE = re.compile(r"\s+(?:to|at|in|on)\s+")


def post_holders(run: str) -> list[str]:
    """For the names after a post ("Labour and Social Protection of Azerbaijan"), the names its country may be,
    longest first: the whole, then each part after an "of"; those after "to", "at" or "in" are a place."""
    run = _POST_PLACE.split(run, maxsplit=1)[0]
    parts = run.split(" of ")
    return [" of ".join(parts[index:]).removeprefix("the ") for index in range(len(parts))]


def after_post(sentence: str) -> str | None:
    """The words after a post and its "of" ("The Minister of Labour of Azerbaijan …" → "Labour of …"), or None."""
    found = _POST.match(sentence)
    return sentence[found.end() :] if found else None


# "Germany, together with the International Organization for Migration (IOM), presented …": both speak.
_TOGETHER = re.compile(
    r"^(?P<first>[A-Z][^,*.;:]{0,80}),\s+(?:together|jointly)\s+with\s+(?:the\s+)?"
    r"(?P<second>[A-Z][^,*.;:]{0,150}?),\s+(?=[a-z])"
)


# A post, and who holds it between commas: "The Chair of the Reference Group, Sweden, reported …".
_POST_WORD = re.compile(rf"\b(?:{_POST_WORDS}|Co-Chair|Chair|Chairperson|Rapporteur)s?\b")
_OWNER = re.compile(r"^(?:[Tt]he\s+)?(?P<owner>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,5})['’]s\s+")


def apposition(sentence: str) -> tuple[str, str, str] | None:
    """(whose post, the post, its holder) of "The Chair of the Reference Group, Sweden, reported …" ("", "Chair of
    the Reference Group", "Sweden") or "IOM's Regional Director, Mr. X, noted …" ("IOM", "Regional Director",
    "Mr. X"); None for a sentence that does not open so."""
    pieces = sentence.split(", ", 2)
    if len(pieces) < 3 or not pieces[2][:1].islower():
        return None
    head, holder = pieces[0], pieces[1]
    if len(head) > 100 or len(holder) > 80 or not holder[:1].isupper() or not _POST_WORD.search(head):
        return None
    owner = _OWNER.match(head)
    post = head[owner.end() :] if owner else re.sub(r"^[Tt]he\s+", "", head)
    return (owner["owner"] if owner else "", post, holder) if post[:1].isupper() else None


def together(sentence: str) -> tuple[str, str] | None:
    """The two names of "X, together with Y, …", or None."""
    found = _TOGETHER.match(sentence)
    return (found["first"], found["second"]) if found else None


# "The EU and its Member States", "the European Union and its 27 Member States": the group of the EU's members (and
# the EU, where the archive knows it as a speaker), one passage.
_EU_WITH_MEMBERS = re.compile(
    r"^(?:[Tt]he\s+)?(?:EU|European\s+Union)\s+and\s+(?:its|the)\s+(?:\d{1,2}\s+)?(?:EU\s+)?[Mm]ember\s+[Ss]tates\b"
)
MEMBER_STATES = "EU Member States"
EUROPEAN_UNION = "European Union"


def eu_with_members(sentence: str) -> bool:
    """Whether the sentence (or a bold name) opens with the EU and its Member States."""
    return bool(_EU_WITH_MEMBERS.match(sentence))
