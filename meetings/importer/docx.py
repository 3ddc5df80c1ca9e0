"""A Word summary (.docx) as the text the parser reads: numbered paragraphs, **bold**, ¹ footnotes, tables.

Read straight from the document's XML (Python's expat: no external entities, no network), in one pass
over its elements, so that the time it takes grows with the file and nothing else:
- Word's automatic numbering is computed as Word shows it: levels, restarts (`startOverride`), lists that
  go on past an unnumbered heading. The summary's own paragraph numbers become "N." lines; a list inside
  a paragraph (another numbering) stays inside it.
- Footnotes and endnotes are numbered as Word numbers them; a note with a custom mark (`*`, `**`, which
  Word leaves out of the count) keeps its mark, written [^*] in the text and "[^*]: …" for the note (a mark
  the markup does not know, such as "a", gets the next number after the numbered ones), so no number shifts.
  Each note's paragraphs stay together, its lists as "1." lines.
- Tracked changes are read as accepted (insertions kept, deletions dropped); comments, hidden text,
  field codes and pictures are left out. A field ("HYPERLINK …", "PAGE") is read as Word shows it: its result
  (a link's words) is kept, its instructions never, also where they are written as text. A link to an outside
  address (w:hyperlink, or a HYPERLINK field) is "[words](address)", which the parser lists on the review.
- Text boxes and shapes with text (`w:drawing` with `wps:txbx`, VML's `w:pict`/`v:textbox`) are read, once
  (Word writes a shape twice, as `mc:AlternateContent`'s Choice and its Fallback: one is read), as
  paragraphs just after the paragraph that holds them, under a `<!-- text box -->` line that the parser turns
  into a warning for the review.
- A symbol (`w:sym`, Symbol or Wingdings) is its Unicode character: the common bullets, arrows and ticks by
  name (symbols.py), any other as the character Word stores.
- A table becomes one "| a | b |" line per row (a "|---|" line under a header row), as in Markdown.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from ..markup import MARK, superscript
from .limits import MAX_TEXT_CHARS, MAX_XML_BYTES, SummaryError, check_time
from .symbols import symbol

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# The line the text of a text box follows; the parser (parse._split_blocks) reads it as a warning.
TEXT_BOX_LINE = "<!-- text box -->"
_FALSE = {"0", "false", "off", "none"}
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOCUMENT_RELS = "word/_rels/document.xml.rels"
_PARTS = (
    "word/document.xml",
    "word/footnotes.xml",
    "word/endnotes.xml",
    "word/numbering.xml",
    "word/styles.xml",
    _DOCUMENT_RELS,
)
# A link's address as the text keeps it, "[words](address)" (the parser lists it on the review and keeps the words).
_LINK_FIELD = re.compile(r'^\s*HYPERLINK\s+"(?P<address>[^"]{1,2000})"(?![^"]*\\l)')
_LINK_ADDRESS = re.compile(r"^(?:https?://|mailto:|ftp://)[^\s()\[\]]{1,1990}$", re.IGNORECASE)
# Containers whose content is the document's (tracked insertions, content controls, links, fields).
_TRANSPARENT = {
    f"{_W}{name}"
    for name in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent", "bdo", "dir")
}
# What is not text of the summary: deletions, comments, pictures, field codes, properties.
_SKIPPED = {
    f"{_W}{name}"
    for name in (
        "del", "moveFrom", "delText", "delInstrText", "instrText", "commentReference", "commentRangeStart",
        "commentRangeEnd", "drawing", "pict", "object", "rPr", "pPr", "sdtPr", "sdtEndPr", "tblPr", "tblGrid",
        "trPr", "tcPr", "footnoteRef", "endnoteRef", "annotationRef", "lastRenderedPageBreak", "proofErr",
    )
}  # fmt: skip
_SPACES = re.compile(r"\s+")


# Tables inside tables: Word lets one nest them; a summary's layout has two or three levels at most.
MAX_TABLE_DEPTH = 20


def _children(element: ET.Element, name: str = "") -> list[ET.Element]:
    """The direct children (of one tag), looking through content controls and tracked insertions around them."""
    found = []
    for child in element:
        if child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
            found += _children(child, name)
        elif not name or child.tag == f"{_W}{name}":
            found.append(child)
    return found


def _on(element: ET.Element | None) -> bool:
    return element is not None and element.get(f"{_W}val", "1").lower() not in _FALSE


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# ---------------------------------------------------------------------------------------------
# Styles and numbering


@dataclass
class _Styles:
    bold_characters: set[str] = field(default_factory=set)  # character styles that make text bold
    numbering: dict[str, tuple[str, int]] = field(default_factory=dict)  # paragraph style → numId, level
    headings: set[str] = field(default_factory=set)  # paragraph styles with an outline level (headings)

    @classmethod
    def read(cls, root: ET.Element | None) -> _Styles:
        styles = cls()
        if root is None:
            return styles
        based_on: dict[str, str] = {}
        for style in root.iter(f"{_W}style"):
            style_id = style.get(f"{_W}styleId", "")
            parent = style.find(f"{_W}basedOn")
            if parent is not None:
                based_on[style_id] = parent.get(f"{_W}val", "")
            run = style.find(f"{_W}rPr")
            if style.get(f"{_W}type") == "character" and run is not None and _on(run.find(f"{_W}b")):
                styles.bold_characters.add(style_id)
            if style.find(f"{_W}pPr/{_W}outlineLvl") is not None:
                styles.headings.add(style_id)
            number = style.find(f"{_W}pPr/{_W}numPr")
            if number is not None:
                num_id = number.find(f"{_W}numId")
                level = number.find(f"{_W}ilvl")
                if num_id is not None:
                    styles.numbering[style_id] = (num_id.get(f"{_W}val", ""), _int(_attr(level)))
        for style_id in list(based_on):  # a style based on a numbered style is numbered too
            seen, current = set(), style_id
            while current in based_on and current not in styles.numbering and current not in seen:
                seen.add(current)
                current = based_on[current]
            if current in styles.numbering and style_id not in styles.numbering:
                styles.numbering[style_id] = styles.numbering[current]
        return styles


def _attr(element: ET.Element | None) -> str | None:
    return element.get(f"{_W}val") if element is not None else None


@dataclass
class _Level:
    start: int = 1
    format: str = "decimal"
    text: str = "%1."


class _Numbering:
    """Word's list counters: one set per abstract list, restarted where a list instance says so."""

    def __init__(self, root: ET.Element | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.instances: dict[str, tuple[str, dict[int, int]]] = {}  # numId → abstract id, level → restart
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[tuple[str, int]] = set()
        if root is None:
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            levels = {}
            for level in abstract.iter(f"{_W}lvl"):
                levels[_int(level.get(f"{_W}ilvl"))] = _Level(
                    start=_int(_attr(level.find(f"{_W}start")), 1),
                    format=_attr(level.find(f"{_W}numFmt")) or "decimal",
                    text=_attr(level.find(f"{_W}lvlText")) or "",
                )
            self.abstract[abstract.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iter(f"{_W}num"):
            overrides = {}
            for override in num.iter(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    overrides[_int(override.get(f"{_W}ilvl"))] = _int(_attr(start), 1)
            self.instances[num.get(f"{_W}numId", "")] = (_attr(num.find(f"{_W}abstractNumId")) or "", overrides)

    def next(self, num_id: str, level: int) -> tuple[str, str] | None:
        """The label Word shows for the next paragraph of this list ("3.", "b)", "-"), and its list's id."""
        if num_id not in self.instances or num_id == "0":
            return None
        abstract_id, overrides = self.instances[num_id]
        levels = self.abstract.get(abstract_id, {})
        counters = self.counters.setdefault(abstract_id, {})
        if level in overrides and (num_id, level) not in self.started:
            counters[level] = overrides[level] - 1
        self.started.add((num_id, level))
        definition = levels.get(level, _Level())
        counters[level] = counters.get(level, definition.start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        if definition.format == "bullet":
            return "-", abstract_id
        if definition.format == "none":
            return "", abstract_id

        def label(match: re.Match) -> str:
            index = int(match[1]) - 1
            value = counters.get(index, levels.get(index, _Level()).start)
            return _format(value, levels.get(index, _Level()).format)

        return re.sub(r"%([1-9])", label, definition.text or "%1."), abstract_id


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"),
          (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _format(value: int, number_format: str) -> str:
    if number_format in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if number_format == "upperLetter" else letters
    if number_format in ("lowerRoman", "upperRoman"):
        numerals = ""
        for amount, numeral in _ROMAN:
            count, value = divmod(value, amount)
            numerals += numeral * count
        return numerals.upper() if number_format == "upperRoman" else numerals
    return str(value)


# ---------------------------------------------------------------------------------------------
# Paragraphs and runs


# What a link's words may not hold to be written "[words](address)": brackets and line ends would break it.
_UNLINKABLE = re.compile(r"[\[\]\n\x00]")


def _linkable(words: list[tuple[str, bool]]) -> bool:
    """Whether a link's words can be written as a Markdown link: some words, at most 300 characters, none that
    would break it."""
    said = "".join(text for text, _bold in words)
    return bool(said.strip()) and len(said) <= 300 and not _UNLINKABLE.search(said)


class _Reader:
    def __init__(self, parts: dict[str, ET.Element | None]) -> None:
        self.styles = _Styles.read(parts.get("word/styles.xml"))
        self.numbering = _Numbering(parts.get("word/numbering.xml"))
        self.notes = {
            kind: {note.get(f"{_W}id", ""): note for note in root.iter(f"{_W}{kind}")}
            for kind, root in (
                ("footnote", parts.get("word/footnotes.xml")),
                ("endnote", parts.get("word/endnotes.xml")),
            )
            if root is not None
        }
        self.note_order: list[tuple[str, str, int]] = []  # kind, id, number given
        self.note_numbers: dict[tuple[str, str], int] = {}
        self.custom_notes: list[tuple[str, str]] = []
        self.marks: dict[tuple[str, str], str] = {}  # a custom-marked note's mark, as written ("*")
        self.marked: dict[tuple[str, str], str] = {}  # those kept as their mark ("[^*]" in the text)
        self.main_list: str | None = None  # the abstract list that numbers the summary's paragraphs
        self.length = 0
        self.boxes: list[ET.Element] = []  # the text boxes of the paragraph being read (w:txbxContent)
        self.fields: list[bool] = []  # the fields the reading is in: True once past their code, in their result
        self.codes: list[str] = []  # their codes ("HYPERLINK "https://…""), as far as read
        self.results: list[tuple[list, int, str] | None] = []  # a link field's pieces, where its words start, address
        relations = parts.get(_DOCUMENT_RELS)
        # The document's links to outside addresses, by relationship id (w:hyperlink r:id="rId5").
        self.addresses = {
            relation.get("Id", ""): relation.get("Target", "")
            for relation in (relations.iter(f"{_RELS}Relationship") if relations is not None else [])
            if relation.get("TargetMode") == "External" and relation.get("Type", "").endswith("/hyperlink")
        }

    # -- runs

    def _bold(self, run: ET.Element) -> bool:
        properties = run.find(f"{_W}rPr")
        if properties is None:
            return False
        bold = properties.find(f"{_W}b")
        if bold is not None:
            return _on(bold)
        return _attr(properties.find(f"{_W}rStyle")) in self.styles.bold_characters

    def _hidden(self, run: ET.Element) -> bool:
        properties = run.find(f"{_W}rPr")
        return properties is not None and _on(properties.find(f"{_W}vanish"))

    def inline(self, element: ET.Element, pieces: list[tuple[str, bool]], *, in_note: bool) -> None:
        """The text of a paragraph's runs, as (text, bold) pieces; note references as their numbers."""
        skip_mark: tuple[str, str] | None = None
        for child in element:
            check_time()
            tag = child.tag
            if tag == f"{_MC}AlternateContent":
                self.inline(_one_alternative(child), pieces, in_note=in_note)
                continue
            if tag in _SKIPPED:
                continue
            if tag == f"{_W}hyperlink" and not in_note:
                self._link(child, pieces)
                continue
            if tag in _TRANSPARENT:
                self.inline(child, pieces, in_note=in_note)
                continue
            if tag != f"{_W}r" or self._hidden(child):
                continue
            bold = self._bold(child)
            for item in _run_items(child):
                name = item.tag
                if name == f"{_W}fldChar":
                    self._field(item.get(f"{_W}fldCharType", ""), pieces)
                    continue
                if self.fields and not self.fields[-1] and name in (f"{_W}instrText", f"{_W}t"):
                    self.codes[-1] += item.text or ""
                if name in (f"{_W}drawing", f"{_W}pict"):
                    self.boxes += _text_boxes(item)
                    continue
                if not all(self.fields):
                    continue  # a field's instructions ("HYPERLINK \"https://…\""), however they are written
                if name == f"{_W}sym":
                    pieces.append((symbol(item.get(f"{_W}font", ""), item.get(f"{_W}char", "")), bold))
                    continue
                if name == f"{_W}t":
                    text = item.text or ""
                    if skip_mark:
                        # A custom mark's text ("*") follows its reference: kept as written, as [^*], where it is
                        # a mark the summaries' markup knows; else the number it is given stands for it.
                        mark = text.strip()
                        self.marks.setdefault(skip_mark, mark)
                        if MARK.fullmatch(mark) and self.marks[skip_mark] == mark:
                            self.marked[skip_mark] = mark
                            pieces.append((f"[^{mark}]", False))
                        else:
                            pieces.append((f"\x00{-self.note_numbers[skip_mark]}\x00", False))
                        skip_mark = None
                        continue
                    pieces.append((text, bold))
                elif name in (f"{_W}tab", f"{_W}br", f"{_W}cr"):
                    pieces.append((" ", False))
                elif name == f"{_W}noBreakHyphen":
                    pieces.append(("-", bold))
                elif name in (f"{_W}footnoteReference", f"{_W}endnoteReference") and not in_note:
                    kind = "footnote" if name == f"{_W}footnoteReference" else "endnote"
                    custom = item.get(f"{_W}customMarkFollows", "0").lower() not in _FALSE
                    number = self._note_number(kind, item.get(f"{_W}id", ""), custom=custom)
                    if number > 0:
                        pieces.append((superscript(number), False))
                    # A custom mark (number < 0) is written where its text follows, just below.
                    skip_mark = (kind, item.get(f"{_W}id", "")) if custom and number < 0 else None

    def _field(self, kind: str, pieces: list[tuple[str, bool]]) -> None:
        """A field's begin, separate or end: its code runs from begin to separate, its result from there to end.

        A link field's result ("HYPERLINK "https://…"", not a place in the document: "\\l") is "[words](address)"."""
        if kind == "begin":
            self.fields.append(False)
            self.codes.append("")
            self.results.append(None)
        elif kind == "separate" and self.fields:
            self.fields[-1] = True
            link = _LINK_FIELD.match(self.codes[-1])
            if link and _LINK_ADDRESS.match(link["address"]):
                self.results[-1] = (pieces, len(pieces), link["address"])
        elif kind == "end" and self.fields:
            self.fields.pop()
            self.codes.pop()
            result = self.results.pop()
            if result is not None and result[0] is pieces:
                _, start, address = result
                if _linkable(pieces[start:]):
                    pieces.insert(start, ("[", False))
                    pieces.append((f"]({address})", False))

    def _note_number(self, kind: str, note_id: str, *, custom: bool) -> int:
        if note_id not in self.notes.get(kind, {}):
            return 0
        key = (kind, note_id)
        if key not in self.note_numbers:
            if custom:
                self.custom_notes.append(key)
                self.note_numbers[key] = -len(self.custom_notes)  # numbered after the others, below
            else:
                self.note_numbers[key] = 1 + sum(1 for number in self.note_numbers.values() if number > 0)
        return self.note_numbers[key]

    def _link(self, link: ET.Element, pieces: list[tuple[str, bool]]) -> None:
        """A link's words, as "[words](address)" where it points outside the document (a note's links, and links
        to a place in the document, keep their words only)."""
        words: list[tuple[str, bool]] = []
        self.inline(link, words, in_note=False)
        address = self.addresses.get(link.get(f"{_R}id", ""), "")
        if _LINK_ADDRESS.match(address) and _linkable(words):
            pieces += [("[", False), *words, (f"]({address})", False)]
        else:
            pieces += words

    def text_of(self, paragraph: ET.Element, *, in_note: bool = False) -> str:
        pieces: list[tuple[str, bool]] = []
        self.fields, self.codes, self.results = [], [], []  # a field's code never runs past its paragraph
        self.inline(paragraph, pieces, in_note=in_note)
        # Adjacent runs of the same weight are one run; spaces go outside the stars.
        merged: list[list] = []
        for text, bold in pieces:
            text = _SPACES.sub(" ", text)
            if merged and merged[-1][1] == bold:
                merged[-1][0] += text
            elif text:
                merged.append([text, bold])
        out = []
        for text, bold in merged:
            if bold and text.strip():
                lead = " " if text[:1] == " " else ""
                tail = " " if text[-1:] == " " else ""
                out.append(f"{lead}**{text.strip()}**{tail}")
            else:
                out.append(text)
        text = _SPACES.sub(" ", "".join(out)).strip()
        self.length += len(text)
        if self.length > MAX_TEXT_CHARS:
            raise SummaryError("The text of this file is longer than 1 MB: it cannot be a single summary.")
        return text

    def _is_heading(self, paragraph: ET.Element) -> bool:
        style = _attr(paragraph.find(f"{_W}pPr/{_W}pStyle")) or ""
        return style.lower().startswith(("heading", "title", "subtitle")) or style in self.styles.headings

    def _numbered(self, paragraph: ET.Element) -> bool:
        """Whether Word numbers the paragraph (without counting it, as `label` does)."""
        properties = paragraph.find(f"{_W}pPr")
        if properties is None:
            return False
        return (
            properties.find(f"{_W}numPr") is not None or _attr(properties.find(f"{_W}pStyle")) in self.styles.numbering
        )

    def label(self, paragraph: ET.Element) -> tuple[str, str] | None:
        properties = paragraph.find(f"{_W}pPr")
        if properties is None:
            return None
        number = properties.find(f"{_W}numPr")
        num_id, level = None, 0
        if number is not None and number.find(f"{_W}numId") is not None:
            num_id = _attr(number.find(f"{_W}numId"))
            level = _int(_attr(number.find(f"{_W}ilvl")))
        style = _attr(properties.find(f"{_W}pStyle"))
        if num_id is None and style in self.styles.numbering:
            num_id, level = self.styles.numbering[style]
            if number is not None and number.find(f"{_W}ilvl") is not None:
                level = _int(_attr(number.find(f"{_W}ilvl")))
        return self.numbering.next(num_id, level) if num_id else None

    # -- blocks

    def body(self, root: ET.Element) -> list[str]:
        """The lines of the document; a blank line before each paragraph, none inside a list in a paragraph."""
        lines: list[str] = []
        body = root.find(f"{_W}body")
        for element in body if body is not None else []:
            self.block(element, lines)
        return lines

    def block(self, element: ET.Element, lines: list[str]) -> None:
        check_time()
        if element.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
            for child in element:
                self.block(child, lines)
        elif element.tag == f"{_MC}AlternateContent":  # paragraphs or a table written twice: one copy
            for child in _one_alternative(element):
                self.block(child, lines)
        elif element.tag == f"{_W}p":
            text = self.text_of(element)
            numbered = self.label(element)
            if numbered is not None:
                label, list_id = numbered
                if self.main_list is None and re.fullmatch(r"1[.)]", label):
                    self.main_list = list_id
                if label and text:
                    text = f"{label} {text}"
                if list_id != self.main_list and text:
                    lines.append(text)  # a list inside the paragraph above: no blank line between
                    return
            if text and self._is_heading(element):
                text = "## " + text  # a heading between paragraphs: the parser takes it for the next one's subject
            if text:
                lines += ["", text]
            self.box_lines(lines)
        elif element.tag == f"{_W}tbl":
            self.table(element, lines, depth=0)
            self.box_lines(lines)

    def box_lines(self, lines: list[str]) -> None:
        """The text boxes the paragraph (or table) just read holds, as paragraphs after it, each under its line."""
        boxes, self.boxes = self.boxes, []
        for box in boxes:
            read: list[str] = []
            for child in box:
                self.block(child, read)
            if any(read):
                lines += ["", TEXT_BOX_LINE, *read]

    def table(self, element: ET.Element, lines: list[str], *, depth: int, caption: str = "") -> None:
        """A table as "| a | b |" lines. A table that holds tables (a layout table, a participants table in a
        cell) is read as the blocks of its cells, in order, each inner table as a table of its own; a line of
        text just above an inner table ("Participating States") is that table's header."""
        if depth > MAX_TABLE_DEPTH:
            raise SummaryError(f"This file has tables nested more than {MAX_TABLE_DEPTH} deep: it is not a summary.")
        rows = [_children(row, "tc") for row in _children(element, "tr")]
        if any(_children(cell, "tbl") for cells in rows for cell in cells):
            for cells in rows:
                for cell in cells:
                    children = [child for child in _children(cell) if child.tag in (f"{_W}p", f"{_W}tbl")]
                    captions = {
                        index
                        for index, child in enumerate(children[:-1])
                        if child.tag == f"{_W}p" and children[index + 1].tag == f"{_W}tbl" and not self._numbered(child)
                    }
                    for index, child in enumerate(children):
                        if child.tag == f"{_W}tbl":
                            text = self.text_of(children[index - 1]) if index - 1 in captions else ""
                            self.table(child, lines, depth=depth + 1, caption=text.replace("**", ""))
                        elif index not in captions:
                            self.block(child, lines)
            return
        lines.append("")
        if caption and not re.match(r"\d", caption):
            lines += [f"| {caption.replace('|', '/')} |", "|---|"]
        for row, cells in zip(_children(element, "tr"), rows, strict=True):
            texts = []
            for cell in cells:
                check_time()
                words = [self.text_of(paragraph) for paragraph in _children(cell, "p")]
                texts.append(" ".join(text for text in words if text).replace("|", "/"))
            if any(texts):
                lines.append("| " + " | ".join(texts) + " |")
                header = row.find(f"{_W}trPr/{_W}tblHeader")
                if _on(header):
                    lines.append("|" + "---|" * len(texts))
        lines.append("")

    def notes_text(self) -> list[str]:
        """Each note referred to, in the order of its number: "¹ Its text", its list items as "1." lines."""
        last = max([number for number in self.note_numbers.values() if number > 0], default=0)
        for index, key in enumerate(self.custom_notes, start=1):
            self.note_numbers[key] = last + index
        lines: list[str] = []
        for (kind, note_id), number in sorted(self.note_numbers.items(), key=lambda item: item[1]):
            note_lines = []
            for paragraph in self.notes[kind][note_id].iter(f"{_W}p"):
                text = self.text_of(paragraph, in_note=True)
                numbered = self.label(paragraph)
                if numbered is not None and numbered[0] and text:
                    text = f"{numbered[0]} {text}"
                if text:
                    note_lines.append(text)
                boxes, self.boxes = self.boxes, []  # a note's text box: its words in the note
                note_lines += [text for box in boxes for part in box.iter(f"{_W}p") if (text := self.text_of(part))]
            mark = self.marks.get((kind, note_id))
            if note_lines and mark and note_lines[0].startswith(mark):
                note_lines[0] = note_lines[0][len(mark) :].strip()
            start = f"[^{self.marked[(kind, note_id)]}]:" if (kind, note_id) in self.marked else superscript(number)
            if note_lines:
                lines += ["", f"{start} {note_lines[0]}", *note_lines[1:]]
        return lines


def _one_alternative(element: ET.Element) -> ET.Element:
    """Of mc:AlternateContent, the one copy to read: its first Choice (Word's own shape), else its Fallback (the
    same shape in VML); never both, or a text box would be read twice."""
    for branch in element:
        if branch.tag in (f"{_MC}Choice", f"{_MC}Fallback"):
            return branch
    return ET.Element("none")


def _run_items(run: ET.Element) -> list[ET.Element]:
    """A run's items, a shape written twice (mc:AlternateContent) as its one copy."""
    items = []
    for item in run:
        if item.tag == f"{_MC}AlternateContent":
            items += list(_one_alternative(item))
        else:
            items.append(item)
    return items


def _text_boxes(shape: ET.Element) -> list[ET.Element]:
    """The outermost w:txbxContent of a drawing or a VML picture, in document order (a group's boxes one by one);
    a box inside a box is read with the box that holds it."""
    found: list[ET.Element] = []
    stack = [shape]
    while stack:
        element = stack.pop()
        check_time()
        if element.tag == f"{_W}txbxContent":
            found.append(element)
            continue
        if element.tag == f"{_MC}AlternateContent":
            stack.append(_one_alternative(element))
            continue
        stack.extend(reversed(list(element)))
    return found


def _parse(archive: zipfile.ZipFile, name: str) -> ET.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES:
        raise SummaryError("This .docx file unpacks to more than 30 MB of text: it cannot be a summary.")
    with archive.open(info) as stream:
        data = stream.read(MAX_XML_BYTES + 1)  # the size in the zip's directory may lie
    if len(data) > MAX_XML_BYTES:
        raise SummaryError("This .docx file unpacks to more than 30 MB of text: it cannot be a summary.")
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise SummaryError("This .docx file declares XML entities, which Word never writes: it is not a summary.")
    return ET.fromstring(data)


def docx_to_text(data: bytes) -> str:
    """The text of a Word document, bold as **x**, footnotes as ¹ markers with their notes at the end."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise SummaryError("This .docx file has no document in it: is it really a Word document?")
            parts = {name: _parse(archive, name) for name in _PARTS}
    except SummaryError:
        raise
    except zipfile.BadZipFile as error:
        raise SummaryError(
            "This .docx file is damaged and cannot be opened (it is not a valid zip archive)."
        ) from error
    except (ET.ParseError, OSError, RuntimeError, ValueError, EOFError) as error:
        raise SummaryError(f"This .docx file could not be read: {error.__class__.__name__}: {error}.") from error
    reader = _Reader(parts)
    document = parts["word/document.xml"]
    assert document is not None
    lines = reader.body(document)
    lines += reader.notes_text()
    last = max(reader.note_numbers.values(), default=0) - len(reader.custom_notes)
    text = "\n".join(lines).strip() + "\n"
    return re.sub("\x00(\\d+)\x00", lambda match: superscript(last + int(match[1])), text)


# The name the package has always exported.
docx_to_markdown = docx_to_text
