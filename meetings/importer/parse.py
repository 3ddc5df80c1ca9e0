"""Read the text of a summary into a plain tree of what it says, before any name is matched to an actor.

The summaries follow one model (the Annual Senior Officials Meeting of 2 December 2020): a few
header lines (the dialogue's name, the title, "Place, date"), numbered paragraphs, **bold**
names of speakers, footnote markers (¹ ²) and, where the text came from a PDF, footnote blocks
that interrupt a paragraph at a page break. Nothing here touches the database.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from ..markup import MARK, SUPERSCRIPT_DIGITS, superscript
from ..markup import footnote_number as superscript_value
from .docx import TEXT_BOX_LINE
from .goals import goal_numbers, goal_subjects
from .header import (
    DIALOGUE_NAME,
    HYBRID,
    IN_PERSON,
    ONLINE,
    SKIPPED_HEADER,
    DateMatch,
    collapse,
    find_dates,
    has_date,
    numeric_date,
    place_and_format,
    read_header,
    strip_bold,
)
from .leads import (
    EUROPEAN_UNION,
    MEMBER_STATES,
    after_post,
    apposition,
    eu_with_members,
    names_after_words,
    post_holders,
    together,
)
from .lettered import letters_as_numbers
from .limits import MAX_PARAGRAPH_CHARS, MAX_PARAGRAPHS, SummaryError, check_time
from .parsed import ParsedFootnote, ParsedParagraph, ParsedPassage, ParsedPerson, ParsedSummary
from .pdf_copy import glued_note_marks, pdf_copy_cleaned
from .reference import demonyms
from .roles import declared_roles, meeting_kind
from .sentences import ITEM_LABEL, SUB_NUMBERED, SUB_START, split_sentences

# Whether a name written at the start of a sentence is a known actor: the recogniser's answer, given to the
# parser so that plain text (which has no bold) can name its speakers too.
SpeakerTest = Callable[[str], bool]
_SUP = f"[{SUPERSCRIPT_DIGITS}]"

# The Secretariat of the Budapest Process has been run by ICMPD since 1993; a summary that only
# says "the Secretariat" means it.
DEFAULT_SECRETARIAT = "ICMPD"


# Where the importer's callers have always found them (the parsed tree is parsed.py's, the header header.py's).
__all__ = [
    "HYBRID",
    "IN_PERSON",
    "ONLINE",
    "DateMatch",
    "ParsedFootnote",
    "ParsedParagraph",
    "ParsedPassage",
    "ParsedPerson",
    "ParsedSummary",
    "SummaryError",
    "goal_numbers",
    "numeric_date",
    "place_and_format",
    "split_sentences",
]


# ---------------------------------------------------------------------------------------------
# Text clean-up

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Every pattern here runs in time linear in the text: runs of spaces are one space before any of them runs,
# and a lazy run is bounded or stops at a character it cannot cross, so that no long run is tried again
# from each of its characters.
_SPACE_RUN = re.compile(r"[^\S\n]+")
_UNDERSCORE_BOLD = re.compile(r"(?<![\w_])__(?=\S)([^\n]{1,300}?)(?<=\S)__(?![\w_])")
_MD_FOOTNOTE_REF = re.compile(r"\[\^(\d+)\](?!:)")
_MD_FOOTNOTE_DEF = re.compile(r"^\[\^(\d+)\]:\s*", re.MULTILINE)
# Notes as an e-mail writes them: "[1]" after a word, and "[1] The Call for Action …" on a line of its own at the
# end. A bracketed number is a note's only where such a line defines it ("see [3]" in a text without notes stays).
_BRACKET_NOTE_DEF = re.compile(r"^\[(\d{1,3})\][ \t]+(?=\S)", re.MULTILINE)
_BRACKET_NOTE_REF = re.compile(r"(?<=\S) ?\[(\d{1,3})\](?![(:\[])")
# A Markdown link "[joint guidance](https://…)": the page shows no links of a summary's, so its words stay and its
# address is said in the review (_link_warnings).
_MD_LINK = re.compile(
    r"(?<!!)\[(?P<words>[^\[\]\n]{1,300})\]\((?P<address>[^()\s]{1,2000})(?:\s+\"[^\"\n]{0,300}\")?\)"
)
_LOOSE_BOLD = re.compile(r"\*\*( ?)([^*\n]*?\S)( ?)\*\*")
# A paragraph's number as an e-mail writes it: alone on its line above the text ("1." then "The meeting …"), or
# "Para 3:" / "Paragraph 3." opening the paragraph after a blank line. Both become "1. The meeting …".
_NUMBER_ALONE = re.compile(r"^[ \t]*(\(\d{1,3}\)|\d{1,3}[.)])[ \t]*\n(?:[ \t]*\n)?(?=[ \t]*[^\s\d(])", re.MULTILINE)
_BOLD_NUMBER = re.compile(  # "**3.** …", "**b.** …"
    r"^([ \t]*)\*\*[ \t]*(\((?:\d{1,3}|[A-Za-z])\)|(?:\d{1,3}|[A-Za-z])[.)])[ \t]*\*\*[ \t]*", re.MULTILINE
)
# "§ 4 The meeting …", "§ 4. …", "§4:" at a line's start, as a PDF numbers its paragraphs: "4. The meeting …"
# ("§ 4.1" a sub-paragraph, "4.1 …").
_SECTION_SIGN = re.compile(r"^[ \t]*§[ \t]*(\d{1,3}(?:\.\d{1,2})?)\.?(?=[\s:)–-])[ \t]*[:)–-]?[ \t]*(?=\S)", re.M)
_PARA_NUMBER = re.compile(r"(?:\A|(?<=\n\n))[ \t]*(?:Para(?:graph)?|§)\.?[ \t]*(\d{1,3})[ \t]*[:.)–-][ \t]*", re.I)


def normalise(text: str) -> str:
    """One way of writing what editors and converters write in many: newlines, spaces, bold, footnotes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _NUMBER_ALONE.sub(r"\1 ", text)
    text = _PARA_NUMBER.sub(r"\1. ", text)
    text = _SECTION_SIGN.sub(lambda m: m[1] + (" " if "." in m[1] else ". "), text)
    text = _SPACE_RUN.sub(" ", text)  # tabs and no-break spaces too
    text = _UNDERSCORE_BOLD.sub(r"**\1**", text)
    text = _BOLD_NUMBER.sub(r"\1\2 ", text)
    text = _MD_FOOTNOTE_DEF.sub(lambda m: superscript(int(m[1])) + " ", text)
    text = _MD_FOOTNOTE_REF.sub(lambda m: superscript(int(m[1])), text)
    text = _MD_LINK.sub(r"\g<words>", text)
    defined = {match[1] for match in _BRACKET_NOTE_DEF.finditer(text)}
    if defined:
        text = _BRACKET_NOTE_DEF.sub(lambda m: superscript(int(m[1])) + " ", text)
        text = _BRACKET_NOTE_REF.sub(lambda m: superscript(int(m[1])) if m[1] in defined else m[0], text)
    # "** Austria **" and "**Austria **" as Word runs leave them: the spaces go outside the stars.
    text = _LOOSE_BOLD.sub(lambda m: f"{m[1]}**{m[2]}**{m[3]}", text)
    return text


# ---------------------------------------------------------------------------------------------
# Lines into header, numbered paragraphs and footnotes

_NUMBERED = re.compile(r"^(?:\((?P<bracketed>\d{1,3})\)|(?P<number>\d{1,3})[.)])\s+(?P<rest>\S.*)$")  # 1. 1) (1)
_FOOTNOTE_START = re.compile(rf"^({_SUP}+)\s*(\S.*)$")
_MARK_FOOTNOTE_START = re.compile(rf"^\[\^({MARK.pattern})\]:\s*(\S.*)$")  # "[^*]: This designation …"
_PAGE_ARTEFACT = re.compile(r"^(?:page\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$|^[-–—_=*#\s]+$", re.IGNORECASE)
_HEADING_MARKS = re.compile(r"^#{1,6}\s*|^>\s*")
_TABLE_RULE = re.compile(r"^\|[\s:|-]*-[\s:|-]*\|?$")
_BULLET = re.compile(r"^[-*•–]\s+(?=\S)(?!\*)")
# "Annex", "Annex I: List of participants", "Appendix 2": what follows is not the summary's paragraphs.
_ANNEX_HEADING = re.compile(
    r"^(?:annex(?:es)?|appendix|appendices)(?:\s+(?:[ivxlc]+|\d{1,2}|[a-z]))?(?:\s*[:.–—-]\s*[^.]{0,100})?$",
    re.IGNORECASE,
)
# A table's first row that names its columns ("Country | Organisation") when no rule says so.
_COLUMN_NAME = re.compile(
    r"^(?:(?:participating\s+)?(?:countries|country|states?)|(?:international\s+)?(?:organi[sz]ations?)|"
    r"participants?|delegations?|names?|(?:eu\s+)?(?:institutions|bodies|agencies))$",
    re.IGNORECASE,
)
# A column beside the participants that names none: who represented each, their posts, how to reach them.
_NOT_PARTICIPANTS_COLUMN = re.compile(
    r"^(?:represented\s+by|representatives?|representing\s+institutions?|(?:name\s+and\s+)?(?:title|position|post|"
    r"function)s?|contacts?|e-?mail)$",
    re.IGNORECASE,
)
# A column beside the countries that says who came for each ("Country | Delegation", "State | Institution"), not a
# column of participants of its own.
_DELEGATION_COLUMN = re.compile(r"^(?:delegation|institution|ministry|authority|agency|body)$", re.IGNORECASE)
_COUNTRY_COLUMN = re.compile(r"^(?:participating\s+)?(?:countr(?:y|ies)|states?)$", re.IGNORECASE)
# A table of who said what ("Speaker | Statement"): each row is read in its place as "Speaker: statement".
_SPEAKER_COLUMN = re.compile(
    r"^(?:speakers?|delegations?|countr(?:y|ies)|states?|participants?|organi[sz]ations?|who)$", re.IGNORECASE
)
_STATEMENT_COLUMN = re.compile(
    r"^(?:statements?|interventions?|remarks|comments?|(?:key|main)\s+points|summary(?:\s+of\s+"
    r"(?:the\s+)?(?:statements?|interventions?))?|what\s+was\s+said)$",
    re.IGNORECASE,
)
_PARTICIPANT_WORDS = re.compile(r"\b(?:participants?|participating|delegations?|attendance|attendees)\b", re.I)


@dataclass
class _Block:
    number: int
    lines: list[str] = field(default_factory=list)
    last_item: int = 0  # the last "N." list item inside the block, so that "N+1." continues the list
    heading: str = ""  # a heading line just above the paragraph ("## Session I – Return")
    mark: str = ""  # a footnote's own mark ("*")
    columns: list[list[str]] = field(default_factory=list)  # a table's or a bullet list's cells, by column
    column_names: list[str] = field(default_factory=list)

    @property
    def statements(self) -> bool:
        """Whether the table is one of who said what ("Speaker | Statement")."""
        names = [strip_bold(name).strip() for name in self.column_names if name.strip()]
        return len(names) >= 2 and bool(_SPEAKER_COLUMN.match(names[0])) and bool(_STATEMENT_COLUMN.match(names[1]))

    def add_row(self, cells: list[str]) -> None:
        if self.statements:
            said = " ".join(cell for cell in cells[1:] if cell)
            if cells[0] and said:
                self.lines.append(f"{cells[0]}: {said}")  # in its place in the text, its speaker before a colon
            elif said or cells[0]:
                self.lines.append(said or cells[0])
            return
        while len(self.columns) < len(cells):
            self.columns.append([])
        for column, cell in zip(self.columns, cells, strict=False):
            if cell:
                column.append(cell)

    @property
    def listed(self) -> list[str]:
        """The names a table or a bullet list gives, column by column; not those of a column of who represented
        each participant ("Represented by": their ministries) or of their posts."""
        names = [strip_bold(name).strip() for name in self.column_names] + [""] * len(self.columns)
        by_country = any(_COUNTRY_COLUMN.match(name) for name in names)
        return [
            cell
            for column, name in zip(self.columns, names, strict=False)
            if not _NOT_PARTICIPANTS_COLUMN.match(name) and not (by_country and _DELEGATION_COLUMN.match(name))
            for cell in column
        ]

    def listed_text(self) -> str:
        """The table or list as sentences for the paragraph's text: "Participating States: Albania, …"."""
        sentences = []
        for index, column in enumerate(self.columns):
            if column:
                name = self.column_names[index] if index < len(self.column_names) else ""
                sentences.append((f"{name}: " if name else "") + "; ".join(column) + ".")
        return " ".join(sentences)


# A line that stops in the middle of a sentence, on a word that never ends one ("… priority goals 1 and", "… the
# delegations of"): a number at the start of the next line goes on with it (not "…; and", a list's last item).
_WRAPPED_BEFORE = re.compile(
    r"(?<![;,:])\s(?:and|or|of|from|to|the|with|in|on|by|at|for|between|than|goals?|paragraphs?)$",
    re.IGNORECASE,
)


def _split_blocks(text: str) -> tuple[list[str], list[_Block], list[_Block], _Block | None, list[str]]:
    """The header, the numbered paragraphs, the footnotes, an annex after the paragraphs and warnings."""
    header: list[str] = []
    paragraphs: list[_Block] = []
    footnotes: list[_Block] = []
    warnings: list[str] = []
    footnote: _Block | None = None
    annex: _Block | None = None  # after a heading "Annex": its lines, tables and lists, none a paragraph's
    blank_before = True
    heading = ""
    table_rows: list[list[str]] = []  # the rows of the table being read, until its rule or its end

    dated = [False]  # the header has had its date line: a heading after it is paragraph 1's
    by_section: list[int] = []  # paragraphs that start at their sub-paragraph "N.1" with no "N." line

    def body_line(line: str) -> None:
        if annex is not None:
            annex.lines.append(line)
        elif paragraphs:
            paragraphs[-1].lines.append(line)
        else:
            header.append(line)
            dated[0] = dated[0] or has_date(line)

    lines = text.split("\n")
    numbers = [int(found["number"] or found["bracketed"]) for line in lines if (found := _NUMBERED.match(line.strip()))]
    lines, lettered = letters_as_numbers(lines, numbers)
    if lettered:
        warnings.append(lettered)
    for raw in _mark_loose_headings(lines):
        check_time()
        if len(paragraphs) > MAX_PARAGRAPHS:
            raise SummaryError(
                f"This file has more than {MAX_PARAGRAPHS:,} numbered paragraphs: it is a list, not a meeting summary."
            )
        stripped = raw.strip()
        if stripped == TEXT_BOX_LINE:  # the text of a Word text box follows (docx.py)
            where = f"paragraph {paragraphs[-1].number}, after its own words" if paragraphs else ""
            where = "the annex" if annex else where or "the lines above paragraph 1 (title and date)"
            warnings.append(_text_box_warning(where))
            continue
        line = _HEADING_MARKS.sub("", stripped).strip()
        holder = annex or (paragraphs[-1] if paragraphs else None)  # what a table or a list belongs to
        if holder and stripped.startswith("|") and stripped.count("|") >= 2:
            if _TABLE_RULE.match(stripped):
                # The row above the rule names the columns.
                if table_rows and not holder.column_names:
                    holder.column_names = table_rows.pop()
            else:
                cells = [cell.strip() for cell in stripped.strip("|").split("|")]
                table_rows.append(cells)
                if holder.column_names:
                    holder.add_row(cells)
            continue
        if table_rows and holder:
            _finish_table(holder, table_rows)
            table_rows = []
        if holder and _BULLET.match(stripped) and footnote is None:
            item = _BULLET.sub("", stripped).strip()
            if holder is annex or holder is paragraphs[0]:
                holder.add_row([item.rstrip(";,")])  # a list of names: the participants, or an annex's
            else:
                holder.lines.append(item)  # a list inside a later paragraph stays where it is in the text
            blank_before = False
            continue
        if paragraphs and annex is None and _ANNEX_HEADING.match(strip_bold(line)):
            annex, footnote, blank_before = _Block(number=0, heading=strip_bold(line)), None, True
            continue
        if (
            not paragraphs
            and stripped.startswith("#")
            and line
            and dated[0]
            and not SKIPPED_HEADER.match(strip_bold(line).strip(" *_"))
        ):
            heading = line  # "## Session 1: Opening" below the title and date: the subject of paragraph 1
            blank_before = True
            continue
        if paragraphs and stripped.startswith("#") and line:
            if annex is not None:
                annex.lines.append(line)
            else:
                heading = line  # a heading: the subject of the next paragraph
            footnote, blank_before = None, True
            continue
        if not line or _PAGE_ARTEFACT.match(line):
            blank_before = True
            continue
        if paragraphs and line.casefold() == DIALOGUE_NAME.casefold():
            continue  # a running page header
        expected = paragraphs[-1].number + 1 if paragraphs else 1

        marked = _MARK_FOOTNOTE_START.match(line)
        if marked and paragraphs:
            footnote = _Block(number=0, lines=[marked[2]], mark=marked[1])
            footnotes.append(footnote)
            blank_before = False
            continue
        start = _FOOTNOTE_START.match(line)
        if start and (blank_before or footnote is not None) and paragraphs:  # a note, or the next note
            footnote = _Block(number=superscript_value(start[1]), lines=[start[2]])
            footnotes.append(footnote)
            blank_before = False
            continue
        if annex is not None and (footnote is None or blank_before):
            footnote = None
            annex.lines.append(line)  # numbered lines too: an annex's list is no paragraph of the summary
            blank_before = False
            continue

        sub = SUB_NUMBERED.match(line) if footnote is None else None
        if sub and (paragraphs and paragraphs[-1].number == int(sub[1]) or int(sub[1]) == expected):
            if not paragraphs or paragraphs[-1].number != int(sub[1]):
                # "1.1 …" with no "1." above: paragraph 1 starts here, its first sub-paragraph's number kept.
                paragraphs.append(_Block(int(sub[1]), [], heading=heading))
                heading = ""
                by_section.append(int(sub[1]))
            paragraphs[-1].lines.append(line)
            blank_before = False
            continue

        numbered = _NUMBERED.match(line)
        if numbered:
            number, rest = int(numbered["number"] or numbered["bracketed"]), numbered["rest"]
            if footnote is not None:
                # The list of a footnote ("1. Prevent …") runs until a paragraph number that comes after a blank
                # line; a number that merely continues the footnote's own list stays in the footnote.
                continues_list = number == footnote.last_item + 1 and not blank_before
                if number == expected and blank_before and not continues_list:
                    footnote = None
                    paragraphs.append(_Block(number, [rest], heading=heading))
                    heading = ""
                else:
                    footnote.lines.append(line)
                    footnote.last_item = number
                blank_before = False
                continue
            current = paragraphs[-1] if paragraphs else None
            if current and current.last_item and number == current.last_item + 1 and not blank_before:
                current.lines.append(line)  # a list inside the paragraph
                current.last_item = number
            elif current and not blank_before and current.lines and _WRAPPED_BEFORE.search(current.lines[-1]):
                body_line(line)  # "… goals 1 and" / "2. It agreed …": a line wrapped before a number, no paragraph
            elif number == expected:
                paragraphs.append(_Block(number, [rest], heading=heading))
                heading = ""
            elif current and number == 1:
                current.lines.append(line)
                current.last_item = 1
            elif current and expected < number <= expected + 2 and blank_before:
                warnings.append(f"Paragraph {expected} is missing: the numbers go from {expected - 1} to {number}.")
                paragraphs.append(_Block(number, [rest], heading=heading))
                heading = ""
            else:
                body_line(line)
            blank_before = False
            continue

        if footnote is not None and not blank_before:
            footnote.lines[-1] += " " + line  # a footnote line broken in two
            blank_before = False
            continue
        footnote = None  # after a blank line, the text of the interrupted paragraph goes on
        body_line(line)
        blank_before = False
    if table_rows and (annex or paragraphs):
        _finish_table(annex or paragraphs[-1], table_rows)
    if by_section:
        first = ", ".join(f"{number}.1" for number in by_section[:5]) + (" …" if len(by_section) > 5 else "")
        warnings.append(
            f"{len(by_section)} paragraph(s) have no number of their own and start at their first sub-paragraph "
            f"({first}): each was read as paragraph {by_section[0]}, … with its sub-paragraphs' numbers kept in its "
            "text. Check the numbering on the review."
        )
    return header, paragraphs, footnotes, annex, warnings


def _text_box_warning(where: str) -> str:
    return (
        f"A text box (or a shape with text) of the Word file was read into {where}: check on the review that its "
        "words belong there, or split them off."
    )


# A line of plain text that is a heading: short, with no sentence's end, a capital first ("Session II – Return").
# A letter or a Roman number may label it ("B. Interventions", "IV. Conclusions").
_LOOSE_HEADING = re.compile(r"^(?:(?:[A-Z]|[IVX]{1,4})\.\s)?[A-Z][^.;!?]{0,119}$")
_LOOSE_HEADING_WORDS = 16


def _mark_loose_headings(lines: list[str]) -> list[str]:
    """Plain text's headings marked as Markdown's ("## Session II – Return"): a short line alone (or in bold) after
    a blank line whose next line of text starts a numbered paragraph; a line that goes on with a sentence is none."""
    marked = list(lines)
    first = next((index for index, line in enumerate(lines) if _NUMBERED.match(line.strip())), len(lines))
    following_numbered = False  # the next non-blank line below starts with a paragraph number
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index].strip()
        if not line:
            continue
        if index > first and line.startswith("**") and line.endswith("**") and line.count("**") == 2:
            # A heading in bold, as Word's bold line gives one ("**Session II: Return**"); above paragraph 1, a
            # line in bold is the title.
            line = line[2:-2].strip()
        blank_above = index == 0 or not lines[index - 1].strip()
        if (
            following_numbered
            and blank_above
            and _LOOSE_HEADING.match(line)
            and len(line.split()) <= _LOOSE_HEADING_WORDS
            and not line.endswith((",", ":"))
        ):
            marked[index] = "## " + line
        following_numbered = bool(_NUMBERED.match(line))
    return marked


def _finish_table(block: _Block, rows: list[list[str]]) -> None:
    """A table without a header rule: every row is names (rows already added were after a rule), but for a
    first row that only names columns ("Country | Organisation")."""
    if not block.column_names:
        if rows and all(_COLUMN_NAME.match(cell) for cell in rows[0] if cell) and any(rows[0]):
            block.column_names, rows = rows[0], rows[1:]
        elif rows and len(rows[0]) >= 2 and _STATEMENT_COLUMN.match(strip_bold(rows[0][1]).strip()):
            block.column_names, rows = rows[0], rows[1:]  # "Speaker | Statement": `statements` decides
        for cells in rows:
            block.add_row(cells)


# ---------------------------------------------------------------------------------------------
# Sentences and passages

_INTRO = r"(?:[A-Z][^,*.;:]{0,80},\s+)?"
_HONORIFIC = (
    r"(?:H\.\s?E\.\s+)?(?:Mr|Ms|Mrs|Miss|Mx|Dr|Prof|Professor|Ambassador|Amb|Sir|Dame|Judge|Minister)\.?"
    r"(?:\s+(?:Dr|Prof)\.?)?"
)
_TITLE_WORDS = r"(?P<title>(?:[A-Z][\w.'’-]*\s+(?:(?:of|for|and|the|on|in|to|de)\s+)*){0,10}?)"
_PERSON_LEAD = re.compile(
    rf"^{_INTRO}(?:[Tt]he\s+)?{_TITLE_WORDS}\*\*(?P<honorific>{_HONORIFIC})\s+(?P<name>[^*]+?)\*\*(?P<rest>.*)$", re.S
)
# The same without bold, as plain text writes it: "Mr. Ahmad Karimi, Director General of …, said".
_PLAIN_PERSON_LEAD = re.compile(
    rf"^(?P<title>)(?P<honorific>{_HONORIFIC})\s+(?P<name>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al|el|bin)){{0,4}})"
    r"(?P<rest>(?:,|\s\(|\s(?:from|of|at)\s).*)$",
    re.S,
)
# An official named after their post between commas: "IOM's Regional Director, Mr. Ahmed Saleh, noted …".
_HOLDER_PERSON = re.compile(
    rf"^(?P<honorific>{_HONORIFIC})\s+(?P<name>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al|el|bin)){{0,4}})$"
)
# "The floor was then given to the Secretariat (ICMPD), which presented …": the Chair's or Secretariat's passage.
_FLOOR_TO_ROLE = re.compile(
    r"^(?:[Tt]he\s+)?floor\s+was\s+(?:then\s+|subsequently\s+|next\s+)?(?:given|passed|handed)\s+(?:back\s+)?to\s+"
    r"(?:the\s+)?(?P<role>(?:Co-?)?Chair|(?:Budapest Process\s+)?Secretariat)\b"
)
# "TURKEY: The Chair opened …", "Germany (Federal Ministry of the Interior): Germany presented …": a speaker as
# minutes write one, before a colon; the words in brackets are theirs (an institution) and stay in the text.
_COLON_LEAD = re.compile(r"^(?P<name>[A-Z][\w'’.-]*(?: [\w'’.-]+){0,6}?)(?: \([^()]{2,150}\))?: (?=\S)")
_CAPITALS = re.compile(r"[A-Z][A-Z'’.-]{2,}(?: [A-Z][A-Z'’.-]*){0,4}")  # "NORLANDIA", "BOSNIA AND HERZEGOVINA"
# A role before the colon ("CHAIR: …"), and the lead it gives.
_COLON_ROLES = {"chair": "chair", "co-chair": "co_chair", "cochair": "co_chair", "secretariat": "secretariat"}
# Roles before a colon that are no speaker's name, the speaker named after them: "Rapporteur: Sweden, …",
# "Moderator: Ms. X (IOM) opened …", "Expert: Dr. Y (University of Z) presented …".
_COLON_LABELS = {
    "rapporteur", "moderator", "facilitator", "panellist", "panelist", "expert", "speaker", "presenter",
    "keynote", "keynote speaker", "discussant",
}  # fmt: skip
# Words before a colon in minutes that name no speaker: "NOTE: …", "Conclusions: …".
_NOT_COLON_SPEAKERS = {
    "note", "nb", "n.b.", "ps", "p.s.", "subject", "re", "fw", "fwd", "agenda", "item", "session", "summary",
    "conclusions", "conclusion", "action", "actions", "decision", "decisions", "outcome", "next steps", "follow-up",
    "participants", "present", "attendance", "date", "venue", "place", "title",
}  # fmt: skip
_NAME_WORDS = re.compile(r"[\w'’().-]+,?|,|&")
_LIST_CONNECTORS = {"and", "of", "the", "for", "on", "in", "to", "de", "&", "co-operation", "cooperation"}
# Verbs with which a plain-text summary gives a speaker the floor.
SPEECH_VERBS = {
    "stated", "said", "noted", "presented", "underlined", "stressed", "highlighted", "informed", "reported",
    "shared", "described", "called", "welcomed", "emphasised", "emphasized", "expressed", "outlined", "explained",
    "recalled", "announced", "proposed", "suggested", "offered", "added", "pointed", "indicated", "confirmed",
    "mentioned", "referred", "spoke", "gave", "introduced", "invited", "briefed", "updated", "commended",
    "acknowledged", "thanked", "drew", "focused", "focussed", "elaborated", "appreciated", "supported", "raised",
    "put", "provided", "showcased", "echoed", "underscored", "reiterated", "detailed", "jointly", "also",
}  # fmt: skip


# Words before the speaker's name: a clause before a comma ("On behalf of the EU Member States, "), or "Both ".
_OPENING_WORDS = re.compile(r"^(?:[A-Z][^,*.;:]{0,80},\s+|Both\s+)(?=(?:the\s+)?[A-Z])")
# Capitalised words that open a sentence without naming anyone.
_NOT_NAMES = {
    "He", "She", "They", "It", "We", "I", "You", "This", "These", "That", "Those", "There", "Its", "Their", "His",
    "Her", "In", "On", "At", "As", "For", "With", "By", "After", "Before", "During", "Finally", "Also", "However",
    "Moreover", "Furthermore", "Lastly", "Then", "Both", "All", "Each", "Some", "Many", "Several", "Other", "Others",
    "Most", "One", "A", "An", "Further", "Overall", "Next", "Later", "Here", "When", "While", "Although", "If",
    "Since", "Regarding", "Concerning", "Following", "Speaking", "According", "Among", "Thereafter", "Subsequently",
    "Afterwards", "Meanwhile", "Additionally", "Likewise", "Similarly", "Accordingly", "Consequently", "Thus",
    "Nevertheless", "Nonetheless", "Notably", "Firstly", "Secondly", "Thirdly", "Together", "Instead", "Hence",
}  # fmt: skip


def name_run(text: str) -> tuple[str, str]:
    """The capitalised name (or list of names) a sentence starts with, and the word after it.

    "Bulgaria, Romania and the Republic of Moldova underlined …" → ("Bulgaria, Romania and the Republic of
    Moldova", "underlined"). Only the first 40 words are read.
    """
    taken: list[str] = []
    after = ""
    for count, match in enumerate(_NAME_WORDS.finditer(text)):
        word = match[0]
        bare = word.rstrip(",")
        if count >= 40:
            return "", ""
        if bare and (bare[0].isupper() or bare[0].isdigit() or bare[0] == "(" or bare.lower() in _LIST_CONNECTORS):
            taken.append(word)
            continue
        if word == ",":
            taken.append(word)
            continue
        after = bare.lower()
        break
    while taken and (taken[-1].rstrip(",").lower() in _LIST_CONNECTORS or taken[-1] == ","):
        taken.pop()
    name = " ".join(taken).replace(" ,", ",").rstrip(",.")  # "… by Hungary.": the sentence's end is no name's
    return re.sub(r"^(?:[Tt]he)\s+", "", name), after


_SEPARATOR = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)"
_BOLD_LEAD = re.compile(rf"^{_INTRO}(?:[Tt]he\s+)?(?P<bolds>\*\*[^*]+\*\*(?:{_SEPARATOR}(?:the\s+)?\*\*[^*]+\*\*)*)")
# "The Chair of the Reference Group" chairs another body; "the Chair of the meeting" is the Chair.
_NOT_OF_ANOTHER = r"(?!\s+of\b(?!\s+the\s+(?:Budapest\s+Process|meeting|conference|session)\b))"
# "The co-chairs opened …", "The two Co-Chairs": the Chair and the Co-Chair speaking together.
_CHAIRS = rf"^{_INTRO}(?:[Tt]he\s+)?(?:two\s+)?(?:[Cc]o-?)?[Cc]hairs\b"
# "Uzbekistan, as Chair, and Hungary, as Co-Chair, opened …": each named with their role, in either order.
_AS_ROLE = r"[A-Z][^,*.;:]{0,60},\s+as\s+(?:the\s+)?(?:Co-?)?[Cc]hair,\s+"
_ROLE_WORDS = [
    ("chairs", re.compile(rf"{_CHAIRS}|^{_AS_ROLE}and\s+(?:the\s+)?{_AS_ROLE}")),
    (
        "co_chair",
        re.compile(rf"^{_INTRO}(?:[Tt]he\s+)?(?:[A-Z][\w-]+\s+)?Co-?[Cc]hair(?:s|manship|person)?\b{_NOT_OF_ANOTHER}"),
    ),
    ("chair", re.compile(rf"^{_INTRO}(?:[Tt]he\s+)?(?:[A-Z][\w-]+\s+)?Chair(?:manship|person)?\b{_NOT_OF_ANOTHER}")),
    (
        "secretariat",
        re.compile(rf"^{_INTRO}(?:[Tt]he\s+)?(?:Budapest Process\s+|BP\s+|[A-Z]{{2,10}}\s+)?Secretariat\b"),
    ),
]
# "The meeting was opened by the Turkish Chairmanship": the role is in the words after "by".
_DONE_BY = re.compile(r"^(?:[Tt]he\s+)?(?:[\w-]+\s+){1,4}?(?:was|were)\s+[a-z]+ed\s+by\s+")
# "Silk Routes countries shared …": a group named by its countries, one speaker (reported when no actor is it).
_COUNTRIES_LEAD = re.compile(
    r"^(?:[Tt]he\s+)?(?P<name>(?:[A-Z][\w'’-]*\s+){1,4}(?:countries|states))\s+(?P<verb>[a-z]+)\b"
)
_NARRATION = re.compile(
    rf"^{_INTRO}(?:[Tt]he\s+|[Ss]everal\s+|[Mm]any\s+|[Mm]ost\s+|[Aa]ll\s+|[Ss]ome\s+|[Oo]ther\s+|[Nn]umerous\s+"
    r"|[Aa] number of\s+|[Bb]oth\s+)?(?:participating\s+|the\s+|other\s+)?"
    r"(?:[Cc]ountries|[Ss]tates|[Pp]articipants|[Dd]elegations|[Dd]elegates|[Ss]peakers|[Oo]rgani[sz]ations"
    r"|Member States|[Pp]artners)\b"
    # Minutes' decisions, the body's own: "Decision 1: …", "The meeting agreed …", "The Working Group decided …".
    r"|^(?:Decision|Conclusion|Recommendation|Action\s+point)\s+\d{1,2}\s*[:.–-]"
    r"|^(?:[Tt]he\s+)(?:[Mm]eeting|[Ww]orking\s+[Gg]roup|[Cc]onference|[Gg]roup|SOM|[Pp]lenary)\s+(?:also\s+)?"
    r"(?:agreed|decided|noted|concluded|adopted|endorsed|took\s+note|welcomed|approved)\b"
)
_SECRETARIAT_WORD = re.compile(
    r"^(?:[Tt]he\s+)?(?:Budapest Process\s+|BP\s+)?Secretariat$|^[A-Z]{2,10}\s*\(Secretariat\)$"
)
# "**Türkiye (Chair)**", "**Hungary (Co-Chair)**": a holder of the role with the role in brackets.
_HELD_CHAIR_WORD = re.compile(r"^[A-Z][^()]{0,60}\((?P<co>Co-?)?Chair(?:manship|person)?\)$")
_CHAIR_WORD = re.compile(r"^(?:[A-Z][\w-]+\s+)?(?P<co>Co-?)?Chair$")
_ROLE_DECLARATION = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Z][\w'’-]*(?:\s+(?:and\s+|of\s+|the\s+)?[A-Z][\w'’-]*){0,3}),?\s+as\s+(?:the\s+)?"
    r"(?P<co>Co-?)?[Cc]hair\b(?![-\w])(?!\s+of\b(?!\s+the\s+Budapest\s+Process))"
)
# "Türkiye (Chair)", "Hungary (Co-Chair)": the holder, then the role in brackets.
_HOLDER_CHAIR = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Z][\w'’-]*(?:\s+(?:and\s+|of\s+|the\s+)?[A-Z][\w'’-]*){0,3})\s*"
    r"\((?P<co>Co-?)?[Cc]hair(?:manship|person)?\)"
)
_AS_CHAIR, _CHAIRED, _CHAIR_BRACKET, _CHAIR_IN_BRACKETS = (
    re.compile(r"\sas\s+(?:the\s+)?(?:Co-?)?[Cc]hair"),
    re.compile(r"[Cc]haired\s+by"),
    re.compile(r"[Cc]hair(?:manship|person)?\s+\("),
    re.compile(r"\((?:Co-?)?[Cc]hair(?:manship|person)?\)"),
)
_CHAIRED_BY = re.compile(
    r"\b(?P<co>[Cc]o-)?[Cc]haired\s+by\s+(?:the\s+)?(?!(?:Co-?)?[Cc]hair\b)(?P<name>[A-Z][\w'’-]*(?:\s+(?:and\s+|of\s+|the\s+)?[A-Z][\w'’-]*){0,3})"
)
# "the Chair (Türkiye)", "the Co-Chair (Hungary)": the role with its holder in brackets.
_BRACKETED_CHAIR = re.compile(
    r"\b(?P<co>Co-?)?[Cc]hair(?:manship|person)?\s+\((?P<name>[A-Z][\w'’-]*(?:\s+(?:and\s+|of\s+|the\s+)?[A-Z][\w'’-]*){0,3})\)"
)
# "the Hungarian Chair", "the Turkish Co-Chairmanship": the Chair named by its country's adjective (reference.py).
_ADJECTIVE_CHAIR = re.compile(r"\b[Tt]he\s+(?P<name>[A-Z][\w-]+)\s+(?P<co>Co-?)?[Cc]hair(?:manship|person)?\b(?!-)")
_SECRETARIAT_DECLARATIONS = [
    re.compile(
        r"\b(?P<name>[A-Z][\w-]{1,40})\s+(?:in\s+charge\s+of|running|which\s+runs|as)\s+(?:the\s+)?"
        r"(?:Budapest Process\s+)?Secretariat\b"
    ),
    re.compile(r"\b(?P<name>[A-Z]{2,10})\s+Secretariat\b"),  # "the ICMPD Secretariat"
    re.compile(r"\bSecretariat\s+\((?P<name>[A-Z]{2,10})\)"),  # "the Secretariat (ICMPD)"
]
# "under": "the Agency for External Labour Migration under the Ministry of Employment of Uzbekistan" is one name.
_CONNECTORS = {"of", "for", "and", "the", "on", "in", "to", "under", "de", "du", "des", "la", "le", "&"}


def affiliation_run(text: str) -> str:
    """The name at the start of a text: "Turkey's Directorate General … (DGMM) opened …" → up to "(DGMM)"."""
    words = text.split()
    taken: list[str] = []
    for word in words:
        bare = word.strip(",;:.")
        if word.startswith("(") and taken:
            closing = re.match(r"^\([^)]*\)", " ".join(words[len(taken) :]))
            if closing:
                taken.append(closing[0])
            break
        if bare and (bare[0].isupper() or bare[0].isdigit() or bare.lower() in _CONNECTORS):
            taken.append(bare)
            if word != bare and not word.endswith("."):
                break  # a comma ends the name
            continue
        break
    while taken and taken[-1].lower() in _CONNECTORS:
        taken.pop()
    while taken and taken[0].lower() in {"the"}:
        taken.pop(0)
    return " ".join(taken)


# Words that start the name of an institution: "Director of the Agency for …" is a title and an institution.
_INSTITUTION_WORDS = {
    "ministry", "agency", "department", "directorate", "office", "service", "presidency", "commission", "council",
    "bureau", "authority", "centre", "center", "committee", "secretariat", "police", "embassy", "mission",
    "organization", "organisation", "delegation", "government", "federal", "state", "national", "general",
    "permanent", "european", "international", "united", "state's", "institute", "administration", "border",
}  # fmt: skip
# What follows "of" inside a title: "Head of Unit", "Minister of Interior".
_TITLE_TAILS = {
    "unit", "division", "section", "sector", "cabinet", "staff", "team", "interior", "foreign", "internal",
    "justice", "labour", "labor", "home", "affairs", "the", "department", "operations", "cooperation",
}  # fmt: skip
_POST_JOIN = re.compile(r"\s+(?P<word>at|from|with|of|in)\s+(?:the\s+)?")


def split_post(text: str) -> tuple[str, str]:
    """ "Director of the Agency for External Labour Migration of Uzbekistan" → ("Director", "Agency … of Uzbekistan").

    The title ends at the first "at", "from" or "with"; failing those, at the first "of" (or "in") whose
    next word starts an institution's name or a name that is not part of a title ("Head of Unit").
    """
    text = collapse(text)
    joins = list(_POST_JOIN.finditer(text))
    for match in joins:
        if match["word"] in ("at", "from", "with") and text[match.end() : match.end() + 1].isupper():
            return text[: match.start()].strip(" ,"), text[match.end() :].strip(" ,")
    for match in joins:
        following = text[match.end() :].split(" ", 1)[0].strip(",").lower()
        if not following or not text[match.end()].isupper():
            continue
        if following in _INSTITUTION_WORDS or (following not in _TITLE_TAILS and match["word"] == "of"):
            return text[: match.start()].strip(" ,"), text[match.end() :].strip(" ,")
    return text, ""


# A department of an organisation between commas: "DG HOME", "Directorate-General for Migration and Home Affairs",
# "Unit B.1". It is no post and no country: "Ms. X, DG HOME, European Commission" is an official of the Commission.
_DEPARTMENT = r"(?:DG\s+[A-Z]{2,12}|Directorate[- ]General\s+(?:for|of)\s+[^,]{2,80}|Unit\s+[A-Z]\.?\d{1,2})"
_DEPARTMENT_ALONE = re.compile(rf"^{_DEPARTMENT}$")
_DEPARTMENT_FIRST = re.compile(rf"^(?P<department>{_DEPARTMENT}),\s+(?:the\s+)?(?=[A-Z])")


def _department_apart(title: str, where: str) -> tuple[str, str]:
    """The post and where the official works, a department between them kept with the post ("Policy Officer, DG
    HOME") or, alone, no post at all; `where` from the organisation's name on."""
    if _DEPARTMENT_ALONE.match(title):
        return "", where  # "Ms. X, DG HOME, European Commission": the review asks for the post
    department = _DEPARTMENT_FIRST.match(where)
    if department:  # "Mr. X, Policy Officer, DG HOME, European Commission"
        return f"{title}, {department['department']}", where[department.end() :]
    return title, where


_BRACKETED_POST = re.compile(r"^\s*\((?P<country>[A-Z][^(),]{1,60})(?:,\s+(?P<institution>[A-Z][^()]{1,150}))?\)")


def _person(match: re.Match) -> ParsedPerson:
    title = collapse(match["title"] or "")
    rest = match["rest"]
    affiliation = ""
    name = collapse(match["name"])
    bracketed = re.match(r"^(?P<name>[^()]+?)\s*(?P<where>\([^()]{2,150}\))$", name)
    if bracketed:  # "**Mr. X (Serbia)**": the bracket is where they work, as after the bold
        name, rest = bracketed["name"], f" {bracketed['where']}{rest}"
    if title:
        after = re.match(r"^,?\s+(?:from|of|at|with)\s+(?:the\s+)?(.*)$", rest, re.S) or re.match(
            r"^,\s+(?:the\s+)?(.*)$", rest, re.S
        )
        if after:
            affiliation = affiliation_run(strip_bold(after[1]))
    elif of := re.match(r"^\s+(?:from|of|at)\s+(?:the\s+)?(?=[A-Z])", strip_bold(rest)):
        # "Ms. X from the State Migration Service of Azerbaijan stated …": no title, an institution.
        affiliation = affiliation_run(strip_bold(rest)[of.end() :])
    else:
        # "**Ms. X**, Director of the Agency … of Uzbekistan, opened …": the words between the commas.
        post = re.match(r"^,\s+(?P<post>[^,;]{2,300}?)(?:,|;|\s+(?:who|which)\b|$)", strip_bold(rest))
        if post and post["post"][:1].isupper():
            title, where = split_post(post["post"])
            affiliation = affiliation_run(where) if where else ""
            if not where:
                title = ""  # a verb phrase, not a post ("**Ms. X**, opening, …")
                after = re.match(r"^,\s+(?P<title>[^,]+?),\s+(?:the\s+)?(?P<aff>.*)$", rest, re.S)
                if after and after["title"][:1].isupper():
                    title, where = _department_apart(collapse(after["title"]), strip_bold(after["aff"]))
                    affiliation = affiliation_run(where)
    bracket = _BRACKETED_POST.match(strip_bold(rest))
    if bracket:  # "Ms. X (Hungary, Ministry of Interior)": the institution of that country, or the country alone
        affiliation = (
            f"{bracket['institution']} of {bracket['country']}" if bracket["institution"] else bracket["country"]
        )
    represents = ""
    declaration = _ROLE_DECLARATION.search(strip_bold(rest))
    if declaration:
        represents = "co_chair" if declaration["co"] else "chair"
    return ParsedPerson(
        honorific=collapse(match["honorific"]),
        name=name,
        title=title,
        affiliation=affiliation,
        represents=represents,
    )


@dataclass
class _Lead:
    kind: str  # as ParsedPassage.kind, or "continue", or "latter" / "former" (one of the speakers before)
    speakers: list[str] = field(default_factory=list)
    person: ParsedPerson | None = None
    opens: bool = False  # a passage of its own, though the one before has the same speaker ("The floor was given …")


@functools.lru_cache(maxsize=64)
def _role_name_lead(name: str) -> re.Pattern:
    """ "Türkiye's …", "Hungary thanked …": a sentence opened by the chair's or co-chair's own name."""
    return re.compile(rf"^{_INTRO}{re.escape(name)}(?:['’]s)?\s+[a-z]")


# Words around a bold speaker's name that are not the name: "**Representatives of the Western Balkans**",
# "**IOM and UNHCR jointly**".
_SPEAKER_BEFORE = re.compile(
    r"^(?:[Tt]he\s+)?(?:[Hh]eads?\s+of\s+(?:the\s+)?)?(?:[Rr]epresentatives?|[Dd]elegations?|[Dd]elegates?)\s+"
    r"(?:of|from)\s+(?:the\s+)?(?=\S)"
)
_SPEAKER_AFTER = re.compile(r",?\s+(?:jointly|together|both|alike)$")


def _speaker_name(bold: str) -> str:
    return _SPEAKER_AFTER.sub("", _SPEAKER_BEFORE.sub("", collapse(bold)))


def _eu_speakers(is_speaker: SpeakerTest | None) -> list[str]:
    """ "The EU and its Member States": the group of its members, one speaker, and the EU with it where the archive
    knows the EU as a speaker (else it would be reported on every summary that writes so)."""
    return ([EUROPEAN_UNION] if is_speaker is not None and is_speaker(EUROPEAN_UNION) else []) + [MEMBER_STATES]


def _lead(
    sentence: str, chair: str, co_chair: str, is_speaker: SpeakerTest | None = None, moderator: str = ""
) -> _Lead:
    plain = strip_bold(sentence)  # once: most leads are read without the bold
    person = _PERSON_LEAD.match(sentence) or (_PLAIN_PERSON_LEAD.match(sentence) if "**" not in sentence else None)
    if person:
        return _Lead("person", person=_person(person))
    post_first = _MODERATOR_NAMED.match(plain)
    if post_first and _PLAIN_PERSON_LEAD.match(plain[post_first.end() :]):
        return _lead(plain[post_first.end() :], chair, co_chair, is_speaker, moderator)  # "The Moderator, Ms. X, …"
    label = _COLON_LEAD.match(plain)
    if label and label["name"].casefold() in _COLON_LABELS and _PLAIN_PERSON_LEAD.match(plain[label.end() :]):
        return _lead(plain[label.end() :], chair, co_chair, is_speaker, moderator)  # "Moderator: Ms. X (IOM) …"
    by = _RUN_BY.match(plain)
    if by and (official := _PLAIN_PERSON_LEAD.match(plain[by.end() :])):
        # "The session was moderated by Ms. X (IOM), who …": the official who ran it speaks.
        return _Lead("person", person=_person(official))
    if back := _BACK_REFERENCE.match(plain):
        return _Lead(back["which"].casefold())  # "The latter announced …": one of the speakers just named
    if _MODERATOR_LEAD.match(plain):
        # "The Moderator thanked …": whoever the summary said moderates; no name to report when it said none.
        return _Lead("intervention", speakers=[moderator], opens=True) if moderator else _Lead("narration")
    if eu_with_members(plain):
        return _Lead("intervention", speakers=_eu_speakers(is_speaker))
    bold = _BOLD_LEAD.match(sentence)
    if bold:
        names = [_speaker_name(name) for name in re.findall(r"\*\*([^*]+)\*\*", bold["bolds"])]
        if names and names[0][:1].isupper():
            role = (_CHAIR_WORD.match(names[0]) or _HELD_CHAIR_WORD.match(names[0])) if len(names) == 1 else None
            if role is not None:
                return _Lead("co_chair" if role["co"] else "chair", speakers=names)
            if len(names) == 1 and _SECRETARIAT_WORD.match(names[0]):
                return _Lead("secretariat")  # "**Secretariat** outlined …": the role, no speaker to report
            return _Lead("intervention", speakers=names)
    floor = _FLOOR_TO_ROLE.match(plain)
    if floor:
        return _Lead(_COLON_ROLES[floor["role"].casefold().replace("budapest process ", "")], opens=True)
    done_by = _DONE_BY.match(sentence)
    for kind, pattern in _ROLE_WORDS:
        if pattern.match(sentence[done_by.end() :] if done_by else sentence):
            return _Lead(kind)
    for kind, name in (("chair", chair), ("co_chair", co_chair)):
        if name and _role_name_lead(name).match(plain):
            return _Lead(kind)
    if is_speaker is not None and not sentence.startswith("**"):
        # Plain text names its speakers without bold: "The representative of Serbia noted …", "Iraq stated …".
        # A name that is no known actor opens a passage only with a verb of speaking, and is then reported.
        colon = _COLON_LEAD.match(plain)
        if colon and colon["name"].casefold() in _COLON_LABELS:
            return _lead(plain[colon.end() :], chair, co_chair, is_speaker, moderator)
        if colon and colon["name"].casefold() in _COLON_ROLES:
            return _Lead(_COLON_ROLES[colon["name"].casefold()])  # "CHAIR: …"
        if colon and colon["name"].casefold() not in _NOT_COLON_SPEAKERS:
            capitals = _CAPITALS.fullmatch(colon["name"])
            name = re.sub(r"\bAND\b", "and", colon["name"]) if capitals else colon["name"]  # "ALBANIA AND SERBIA"
            if capitals or is_speaker(name):
                return _Lead("intervention", speakers=[name])  # a name in capitals that is no actor is reported
        group = _COUNTRIES_LEAD.match(plain)
        if group and group["verb"] in SPEECH_VERBS:
            return _Lead("intervention", speakers=[group["name"]])
        appositive = _apposition_lead(plain, is_speaker)
        if appositive is not None:
            return appositive
        both = together(plain)
        if both and is_speaker(both[0]):
            return _Lead("intervention", speakers=list(both))
        post = after_post(plain)
        if post is not None:
            run, verb = name_run(post)
            holders = post_holders(run)
            holder = next((name for name in holders if is_speaker(name)), None)
            if holder is not None:
                return _Lead("intervention", speakers=[holder])
            if not run or holders[-1].split(" ", 1)[0].lower() in _TITLE_TAILS or verb not in SPEECH_VERBS:
                return _Lead("continue")  # "The Head of Unit stressed …" names no one
            return _Lead("intervention", speakers=[holders[-1]])  # "The Minister of Norlandia said": reported
        after_words = names_after_words(plain)
        delegation = after_words is not None
        run, verb = name_run(after_words if after_words is not None else plain)
        opening = _OPENING_WORDS.match(plain) if not delegation else None
        if opening and (not run or run.split(" ", 1)[0].strip(",") in _NOT_NAMES):
            # "On behalf of the EU Member States, Germany stressed …", "Afterwards, Türkiye thanked …", "Both
            # Georgia and Germany stressed …"; "Albania, Serbia and Montenegro presented …" is one list (and a
            # name before the comma that is no actor, "Norlandia, Austria and …", is reported).
            run, verb = name_run(plain[opening.end() :])
        if run.split(" ", 1)[0].strip(",") in _NOT_NAMES:
            run = ""
        if run and (delegation or verb in SPEECH_VERBS or is_speaker(run)):
            if delegation or not _NARRATION.match(sentence):
                return _Lead("intervention", speakers=[run])
    if _NARRATION.match(sentence):
        return _Lead("narration")
    return _Lead("continue")


# "… was moderated by", "… was chaired by": who ran a session (an official by name; "opened by Germany" is
# leads._DONE_BY's).
_RUN_BY = re.compile(r"^(?:[Tt]he\s+)?(?:[\w-]+\s+){1,4}?(?:was|were)\s+(?:moderated|chaired|facilitated)\s+by\s+")
# "Kyrgyzstan and Tajikistan presented … The latter announced …": the last (or first) of the speakers before.
_BACK_REFERENCE = re.compile(r"^(?:[Tt]he\s+)(?P<which>latter|former)\s+(?!(?:one|two|group|point|case)s?\b)[a-z]")
# "The Moderator, Ms. X (IOM), opened …": the official named after the post, between commas.
_MODERATOR_NAMED = re.compile(r"^(?:[Tt]he\s+)?(?:[Ss]ession\s+|[Pp]anel\s+)?(?:Moderator|Facilitator),\s+")
_MODERATOR_LEAD = re.compile(rf"^{_INTRO}(?:[Tt]he\s+)?(?:[Ss]ession\s+|[Pp]anel\s+)?(?:Moderator|Facilitator)\b")
# Where a summary says who moderates: "moderated by Ms. X (IOM)", "moderated by Germany", "Moderator: Ms. X, …".
_MODERATED_BY = re.compile(r"\b(?:[Mm]oderated|[Ff]acilitated)\s+by\s+(?:the\s+)?|^(?:Moderator|Facilitator):\s+", re.M)


def _moderates(name: str, text: str) -> str:
    """ "Moderator" (or "Facilitator") where the text says the official of that name runs the session: "moderated by
    Ms. X", "Moderator: Ms. X", "Ms. X (IOM), the Moderator, …"; "" otherwise. Their post, where none is given."""
    person = rf"(?:{_HONORIFIC}\s+)?{re.escape(name)}"
    said = re.search(
        rf"\b(?P<verb>[Mm]oderated|[Ff]acilitated)\s+by\s+{person}\b|\b(?P<post>Moderator|Facilitator)\s*[:,]\s*{person}\b"
        rf"|{re.escape(name)}(?:\s*\([^()]*\))?,\s+(?:the\s+)?(?:[Ss]ession\s+|[Pp]anel\s+)?(?P<after>Moderator|Facilitator)\b",
        strip_bold(text),
    )
    if said is None:
        return ""
    if said["verb"]:
        return "Facilitator" if said["verb"].casefold() == "facilitated" else "Moderator"
    return said["post"] or said["after"]


def moderator_in(text: str, is_speaker: SpeakerTest | None) -> str:
    """The one a paragraph says moderates, as a name to look up (an official's organisation or country), or ""."""
    found = _MODERATED_BY.search(text)
    if found is None:
        return ""
    rest = split_sentences(text[found.end() :])[0]
    official = _PLAIN_PERSON_LEAD.match(rest)
    if official is not None:
        return _person(official).affiliation
    run, _verb = name_run(rest)
    run = run.rstrip(",")
    return run if run and (is_speaker is None or is_speaker(run)) else ""


def _apposition_lead(sentence: str, is_speaker: SpeakerTest) -> _Lead | None:
    """ "The Chair of the Reference Group, Sweden, …" (Sweden speaks), "IOM's Regional Director, Mr. X, …" (an
    official of IOM), where the one between the commas, or the post's owner, is a known actor."""
    found = apposition(sentence)
    if found is None:
        return None
    owner, title, holder = found
    named = _HOLDER_PERSON.match(holder)
    if named and owner and is_speaker(owner):
        official = ParsedPerson(honorific=named["honorific"], name=named["name"], title=title, affiliation=owner)
        return _Lead("person", person=official)
    if not named and is_speaker(holder):
        return _Lead("intervention", speakers=[holder])
    return None


def _role_of(passage: ParsedPassage, chair: str, co_chair: str) -> str:
    """Who speaks in a passage, for deciding whether the next sentence is still theirs."""
    if passage.kind == "intervention" and len(passage.speakers) == 1:
        if passage.speakers[0] == chair:
            return "chair"
        if passage.speakers[0] == co_chair:
            return "co_chair"
    return passage.kind


# "The Chair then gave the floor to the Secretariat, which presented …": the one given the floor speaks from their
# name on, in a passage of their own (the words before are the Chair's).
_GAVE_FLOOR = re.compile(
    r"\b(?:gave|passed|handed)\s+(?:the\s+)?floor\s+(?:back\s+)?to\s+(?=(?:the\s+)?[A-Z][^,.;]{0,80},\s+(?:which|who)\s)"
)
_CHAIR_KINDS = ("chair", "co_chair", "chairs")


def _leads(
    sentence: str, chair: str, co_chair: str, is_speaker: SpeakerTest | None, moderator: str = ""
) -> list[tuple[str, _Lead]]:
    """The sentence and its lead, or the Chair's words and the words of the one they give the floor to."""
    sub = SUB_START.match(sentence)
    label = sub or ITEM_LABEL.match(sentence)
    lead = _lead(sentence[label.end() :] if label else sentence, chair, co_chair, is_speaker, moderator)
    given = _GAVE_FLOOR.search(sentence) if lead.kind in _CHAIR_KINDS else None
    if given is not None:
        taker = _lead(sentence[given.end() :], chair, co_chair, is_speaker)
        if taker.kind not in ("continue", "narration"):
            return [(sentence[: given.end()].rstrip(), lead), (sentence[given.end() :], taker)]
    return [(sentence, lead)]


_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+(?:the\s+)?|\s*&\s*")


def _each_named(speakers: list[str], is_speaker: SpeakerTest | None) -> list[str]:
    """The speakers one by one, where one name as written is a list ("Kyrgyzstan and Tajikistan") of known actors
    ("Bosnia and Herzegovina" stays one)."""
    named: list[str] = []
    for written in speakers:
        parts = [part for part in _LIST_SEPARATOR.split(written) if part]
        named += parts if len(parts) > 1 and is_speaker is not None and all(map(is_speaker, parts)) else [written]
    return named


def split_passages(
    text: str,
    *,
    chair: str = "",
    co_chair: str = "",
    is_speaker: SpeakerTest | None = None,
    read: dict[str, list[tuple[str, _Lead]]] | None = None,
    moderator: str = "",
) -> list[ParsedPassage]:
    """One passage per intervention, starting at the sentence that names its speaker; narration in between.

    Each sentence is read once: a sentence said again (in this paragraph, or in another one given the same `read`)
    has the lead it had, and opens a passage of its own again where it opens one.
    """
    read = {} if read is None else read
    passages: list[ParsedPassage] = []
    sentences: list[list[str]] = []  # each passage's sentences, joined once at the end
    for whole in split_sentences(text):
        check_time()
        # A sentence naming the Moderator is read again where another moderates.
        key = f"{moderator}\0{whole}" if moderator and "oderator" in whole else whole
        if key not in read:
            read[key] = _leads(whole, chair, co_chair, is_speaker, moderator)
        for sentence, lead in read[key]:
            sub = SUB_START.match(sentence)
            current = passages[-1] if passages else None
            if lead.kind in ("latter", "former"):
                named = _each_named(current.speakers, is_speaker) if current else []
                if len(named) < 2:
                    lead = _Lead("continue")  # the one speaker already speaking
                else:
                    lead = _Lead("intervention", speakers=[named[-1 if lead.kind == "latter" else 0]])
            if current is None or sub:  # a sub-paragraph "3.1" opens a passage of its own, whoever speaks in it
                kind = "narration" if lead.kind == "continue" else lead.kind
            elif lead.kind in ("intervention", "person") or lead.opens:
                kind = lead.kind
            elif lead.kind in ("chair", "co_chair", "chairs", "secretariat", "narration") and lead.kind != _role_of(
                current, chair, co_chair
            ):
                kind = lead.kind
            else:
                sentences[-1].append(sentence)
                continue
            person = dataclasses.replace(lead.person) if lead.person else None
            passages.append(ParsedPassage(text=sentence, kind=kind, speakers=list(lead.speakers), person=person))
            sentences.append([sentence])
    for passage, its_sentences in zip(passages, sentences, strict=True):
        passage.text = " ".join(its_sentences)
        passage.goals = goal_numbers(passage.text)
        passage.goal_subjects = goal_subjects(passage.text)
    return passages


# ---------------------------------------------------------------------------------------------
# Paragraph 1: how many came, and who

_COUNT = re.compile(
    r"(?<![\d,])(?P<people>\d[\d,]*)\s+(?:participants|delegates|representatives|officials)\**"
    r"(?:\s+\**(?:from|of|representing)\s+(?P<countries>\d+)\s+(?:participating\s+)?(?:countries|states)\**)?",
    re.IGNORECASE,
)


_COUNTRY_COUNT = re.compile(
    r"\b(?:from|of|representing)\s+(?P<countries>\d+)\s+(?:participating\s+)?(?:countries|states)\**", re.IGNORECASE
)


# "Participants: Albania, Armenia, … and the Russian Federation": the list under a label, with no count before it.
_LIST_LABEL = re.compile(
    r"\b(?:[Pp]articipants|[Pp]articipating\s+(?:[Ss]tates|[Cc]ountries)|[Dd]elegations|[Aa]ttendance|[Pp]resent)\s*:\s+(?=\**[A-Z])"
)
# "Participants came from Albania, …", "The meeting was attended by delegations of Albania, …": no count, no label.
_CAME_FROM = re.compile(
    r"\b(?:[Pp]articipants|[Dd]elegations|[Dd]elegates|[Rr]epresentatives)\s+(?:came|were\s+present|attended)\s+from\s+"
    r"(?=(?:the\s+)?\**[A-Z])|\b(?:was|were)\s+attended\s+by\s+(?:participants|delegations|delegates|representatives)\s+"
    r"(?:from|of)\s+(?=(?:the\s+)?\**[A-Z])"
)


_NOT_A_LIST = re.compile(r"^(?!the\b)[a-z]")


def _count_only(text: str) -> int | None:
    match = _COUNT.search(text)
    return int(match["people"].replace(",", "")) if match else None


_NAMES_START = re.compile(r"^(?:the\s+)?[A-Z]")
_POINTS_ELSEWHERE = re.compile(r"\b(?:below|above|listed|following|annex|table|list)\b", re.IGNORECASE)


def participants(text: str) -> tuple[int | None, int | None, list[str]]:
    """The number of participants and countries and the lists that name them, from the first paragraph."""
    match = _COUNT.search(text) or _COUNTRY_COUNT.search(text) or _LIST_LABEL.search(text) or _CAME_FROM.search(text)
    if not match:
        return None, None, []
    found = match.groupdict()
    people = int(found["people"].replace(",", "")) if found.get("people") else None
    countries = int(found["countries"]) if found.get("countries") else None
    lists = _lists_after(text, match.end())
    label = _LIST_LABEL.search(text, match.end()) if not lists else None
    # "… 70 representatives of 15 countries. Participants: Afghanistan, …": the list under its label further on.
    return people, countries, lists or (_lists_after(text, label.end()) if label else [])


def _lists_after(text: str, end: int) -> list[str]:
    """The lists of names that the sentence from `end` on gives."""
    rest = strip_bold(text[end:])
    sentence = split_sentences(rest.strip())[0] if rest.strip() else ""
    sentence = re.sub(r"^[\s:;,–—-]*(?:namely\s+|including\s+|i\.e\.\s+|from\s+|representing\s+)?", "", sentence)
    sentence = sentence.rstrip(". ")
    # "Albania and Serbia, from the Kyrgyz Republic …, as well as from IOM": a "from" again is the same list.
    sentence = re.sub(r",\s+(?:and\s+)?from\s+(?=(?:the\s+)?[A-Z])", ", ", sentence)
    sentence = re.sub(r"\bas well as from\s+(?=(?:the\s+)?[A-Z])", "as well as ", sentence)
    if sentence.startswith("(") and sentence.endswith(")") and sentence.count("(") == 1:
        sentence = sentence[1:-1]  # "… from 39 countries (Afghanistan, …, Ukraine)."
    elif sentence.startswith("("):
        # "(Afghanistan, …, Ukraine) as well as …", "(…) and the European Commission, …": a second list after it.
        sentence = re.sub(r"\)\s*,?\s*(?:(?:as\s+well\s+as|and|plus)\b)?\s*", " as well as ", sentence[1:], count=1)
    # "– Afghanistan, …, Ukraine– as well as the European Commission, …": each list ends at a dash.
    lists = [
        re.split(r"\s*[–—]\s*|\s+-\s+", part.strip(" ,;:–—-"), maxsplit=1)[0]
        for part in re.split(r"\s*[–—-]?\s*\bas well as\b\s*", sentence)
    ]
    # A list starts with a name ("Afghanistan", "the European Commission"); words that go on with the sentence
    # ("in Baku on 8 April, hosted by …", "and six organisations") name no one.
    lists = [re.split(r",\s+(?:which|who)\s", part, maxsplit=1)[0].strip(" ,;:") for part in lists]
    return [part for part in lists if part and not _NOT_A_LIST.match(part)]


def annex_participants(annex: _Block) -> list[str]:
    """The names an annex's table or list gives, when the annex is about participants ("List of participants",
    a column "Country"); none from an annex of another kind (an agenda)."""
    words = " ".join([annex.heading, *annex.lines, *annex.column_names])
    if _PARTICIPANT_WORDS.search(words) or any(_COLUMN_NAME.match(name) for name in annex.column_names):
        return annex.listed
    return []


def annex_warning(annex: _Block, *, used: bool) -> str:
    """What became of an annex: it is not a paragraph of the summary, so its text is not on the meeting's page."""
    said = f"“{annex.heading}” follows the last paragraph: "
    said += "its table or list was read as the list of participants" if used else "it is not part of any paragraph"
    left = [collapse(line) for line in annex.lines]
    if not used and annex.listed:
        left.append("; ".join(annex.listed))
    if left:
        quoted = "; ".join(f"“{textwrap.shorten(line, 80, placeholder=' …')}”" for line in left[:5]) + (
            " …" if len(left) > 5 else ""
        )
        said += f", and its text is left out ({quoted}): attach the annex as a document if readers need it"
    return said + "."


# ---------------------------------------------------------------------------------------------
# The whole summary


def parse_summary(text: str, *, is_speaker: SpeakerTest | None = None) -> ParsedSummary:
    """Read a summary's text (plain text or Markdown) into a ParsedSummary; SummaryError if it has no paragraphs."""
    links = [f"“{collapse(match['words'])}” ({match['address']})" for match in _MD_LINK.finditer(text)]
    text, copy_warnings = pdf_copy_cleaned(text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n"))
    text, mark_warnings = glued_note_marks(text)
    copy_warnings += mark_warnings
    text = normalise(text)
    if not text.strip():
        raise SummaryError("The summary is empty.")
    header, blocks, footnote_blocks, annex, warnings = _split_blocks(text)
    warnings = copy_warnings + warnings
    if links:
        warnings.append(
            "Links are not kept, only their words: "
            + "; ".join(links[:5])
            + (" …" if len(links) > 5 else "")
            + ". Attach what they point to as a document if readers need it."
        )
    if not blocks:
        raise SummaryError(
            "No numbered paragraphs were found. A summary's paragraphs start with their number, "
            "e.g. “1. The Annual Senior Officials Meeting gathered …”."
        )
    title, dates, location, meeting_format, header_warnings = read_header(header)
    warnings = header_warnings + warnings
    paragraph_texts = [(block.number, collapse(" ".join([*block.lines, block.listed_text()]))) for block in blocks]
    for number, paragraph_text in paragraph_texts:
        if len(paragraph_text) > MAX_PARAGRAPH_CHARS:
            raise SummaryError(
                f"Paragraph {number} is {len(paragraph_text):,} characters long; a summary's paragraphs are a few "
                f"thousand at most (up to {MAX_PARAGRAPH_CHARS:,} are read). Are its paragraphs numbered "
                "(“1. …”, “2. …”)?"
            )
    if dates is None and not header_warnings:
        dates = find_dates(paragraph_texts[0][1])
        if dates is not None:
            warnings.append("The date was taken from paragraph 1: the header gives none.")
    if not title:
        warnings.append("No title was found above paragraph 1.")
    if dates is None and not header_warnings:
        warnings.append("No date was found (e.g. “Online, 2 December 2020”).")

    plain = strip_bold(" ".join(text for _, text in paragraph_texts))
    kind, ordinal_number = meeting_kind(title, strip_bold(paragraph_texts[0][1]))
    chair = co_chair = ""
    adjectives = [match for match in _ADJECTIVE_CHAIR.finditer(plain) if match["name"].casefold() in demonyms()]
    # Each declaration's pattern runs only on a text that has its words: one quick scan where there are none.
    declared = [
        match
        for words, pattern in (
            (_AS_CHAIR, _ROLE_DECLARATION),
            (_CHAIRED, _CHAIRED_BY),
            (_CHAIR_BRACKET, _BRACKETED_CHAIR),
            (_CHAIR_IN_BRACKETS, _HOLDER_CHAIR),
        )
        if words.search(plain)
        for match in pattern.finditer(plain)
    ]
    for declaration in [*declared, *adjectives]:
        name = re.sub(r"['’]s$", "", declaration["name"])
        if declaration["co"]:
            co_chair = co_chair or name
        else:
            chair = chair or name
    declarations = [
        match
        for pattern in _SECRETARIAT_DECLARATIONS
        for match in pattern.finditer(plain)
        if match["name"] not in {"BP", "Process", "The"}
    ]
    secretariat = min(declarations, key=lambda match: match.start())["name"] if declarations else ""
    if not secretariat and re.search(r"\bSecretariat\b", plain):
        secretariat = DEFAULT_SECRETARIAT

    paragraphs: list[ParsedParagraph] = []
    read: dict[str, list[tuple[str, _Lead]]] = {}  # each sentence's lead, however often it is said
    moderator = ""  # who moderates, from where the summary says so until it names another
    for number, paragraph_text in paragraph_texts:
        moderator = moderator_in(strip_bold(paragraph_text), is_speaker) or moderator
        topic = next(
            (bold for bold in re.findall(r"\*\*([^*]+)\*\*", paragraph_text) if bold[:1].islower()),
            "",
        )
        passages = split_passages(
            paragraph_text, chair=chair, co_chair=co_chair, is_speaker=is_speaker, read=read, moderator=moderator
        )
        paragraphs.append(
            ParsedParagraph(
                number=number,
                text=paragraph_text,
                passages=passages,
                topic=topic,
                heading=blocks[len(paragraphs)].heading,
            )
        )

    count, country_count, lists = participants(paragraph_texts[0][1])
    annex_names = annex_participants(annex) if annex and not blocks[0].listed else []
    if blocks[0].listed or annex_names:
        # A table or a bullet list in paragraph 1, or else in an annex of participants, names them, one a cell.
        # The text's own lists go with it where they name others than the table ("… the delegations listed below,
        # as well as the International Organization for Migration (IOM) …").
        own = participants(collapse(" ".join(blocks[0].lines)))[2]  # the words' lists, not the table's
        lists = (blocks[0].listed or annex_names) + [
            part for part in own if _NAMES_START.match(part) and not _POINTS_ELSEWHERE.search(part)
        ]
        count = count if count is not None else _count_only(paragraph_texts[0][1])
    if annex is not None:
        warnings.append(annex_warning(annex, used=bool(annex_names)))
    for paragraph in paragraphs:
        for passage in paragraph.passages:
            if passage.person and not passage.person.title:
                passage.person.title = _moderates(passage.person.name, paragraph.text)
    people = [passage.person for paragraph in paragraphs for passage in paragraph.passages if passage.person]
    footnotes, marks_seen = [], set()
    for block in footnote_blocks:
        if block.mark and block.mark in marks_seen:
            warnings.append(f"Two footnotes have the mark “{block.mark}”; only the first is kept.")
            continue
        marks_seen.add(block.mark)
        footnotes.append(ParsedFootnote(block.number, "\n".join(collapse(line) for line in block.lines), block.mark))
    last = max((footnote.number for footnote in footnotes if not footnote.mark), default=0)
    for footnote in footnotes:
        if footnote.mark:  # numbered after the numbered ones, in their order: no number shifts
            last += 1
            footnote.number = last
    numbers = [footnote.number for footnote in footnotes]
    if len(set(numbers)) != len(numbers):
        warnings.append("Two footnotes have the same number; only the first is kept.")
        footnotes = [footnote for index, footnote in enumerate(footnotes) if footnote.number not in numbers[:index]]
    return ParsedSummary(
        title=title,
        start_date=dates.start if dates else None,
        end_date=dates.end if dates else None,
        location=location,
        format=meeting_format,
        participant_count=count,
        country_count=country_count,
        participant_lists=lists,
        chair=chair,
        co_chair=co_chair,
        secretariat=secretariat,
        people=people,
        paragraphs=paragraphs,
        footnotes=footnotes,
        warnings=warnings,
        kind=kind,
        number=ordinal_number,
        roles=declared_roles(plain),
    )
