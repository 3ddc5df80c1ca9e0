"""Files built to make a careless parser slow: each must be read, or refused with a message, in a moment.

Used by tests/test_importer_hostile.py (what comes out) and bench/importer.py (how long it takes).
"""

import io
import zipfile

import docx

HEADER = "Budapest Process\n\nSenior Officials Meeting\n\nOnline, 2 December 2020\n\n"


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_of_spaces(size: int = 1024 * 1024) -> bytes:
    """A 2 KB-ish .docx holding 1 MB of spaces in one text run (a footnote backlink pattern's worst case)."""
    return _docx("Senior Officials Meeting", "Online, 2 December 2020", "1. Austria" + " " * size + "spoke.")


def stars(size: int = 40 * 1024) -> bytes:
    """40 KB of ** in one paragraph: bold markers that never close."""
    return (HEADER + "1. " + "**" * (size // 2) + "\n").encode()


def _numbered(first: str, line: str, size: int) -> bytes:
    """`first`, then numbered copies of `line` ("{n}. …") until they make `size` bytes."""
    lines, number, length = [first], 1, 0
    while length < size:
        lines.append(line.format(n=number))
        length += len(lines[-1])
        number += 1
    return (HEADER + "".join(lines)).encode()


def numbered_lines(size: int = 150 * 1024) -> bytes:
    """150 KB of numbered lines, each a paragraph number after the one before."""
    return _numbered("", "{n}. Austria spoke. Hungary replied.\n", size)


def numbered_list(size: int = 150 * 1024) -> bytes:
    """150 KB of numbered lines inside paragraph 1: one paragraph of thousands of sentences."""
    return _numbered(
        "1. The meeting discussed:\n", "{n}. Dr. Smith of the e.g. Ministry spoke. Hungary replied.\n", size
    )


def spaces_in_text(size: int = 1000 * 1000) -> bytes:
    """1 MB of spaces and tabs in a plain-text summary, inside and between names."""
    return (HEADER + "1. **Austria" + " \t" * (size // 2) + "** and " + ". " * 1000 + "x\n").encode()


def roles_and_sub_numbers(size: int = 800 * 1000) -> bytes:
    """33 paragraphs of role words, country adjectives and sub-paragraph numbers, near every limit at once."""
    unit = "Sweden Norway Finland Denmark, as Reference Group Rapporteur, hosted by The Hungarian Chair. 3.1. The "
    paragraph = (unit * (29_000 // len(unit) + 1))[:29_000]
    count = max(1, min(33, size // 29_000))
    return (HEADER + "\n\n".join(f"{n}. {paragraph}" for n in range(1, count + 1)) + "\n").encode()


def lettered_leads_and_subjects(size: int = 150 * 1000) -> bytes:
    """Paragraphs lettered a to z, each a sentence of every lead the importer reads after words not the speaker's
    (posts, "together with", "as Chair, and …", the floor given) and of goals named by subject, without the commas
    or the verbs that would end them."""
    unit = (
        "The Permanent Representative of Austria of Austria of Austria to Vienna at Vienna "
        "Austria as Chair and Hungary as Co Chair together with Serbia gave the floor to the Secretariat "
        "the goal on return and and and the goal on aaaa bbbb cccc dddd the return goal the goal on "
    )
    sentence = f"{unit * 20}Austria, together with {'Serbia ' * 20}, which presented goals 1 (x) 2 (y). "
    paragraph = (sentence * (size // 26 // len(sentence) + 1))[: size // 26]
    lines = [f"{chr(ord('a') + index)}. {paragraph}" for index in range(26)]  # the letters' whole run
    return (HEADER + "\n\n".join(lines) + "\n").encode()


def role_sentences_said_again(size: int = 800 * 1000) -> bytes:
    """800 KB of paragraphs of sentences full of role words ("The representative of Austria said … The delegate of
    Hungary added …"), one sentence said forty times over in each paragraph, every paragraph near the limit."""
    unit = (
        "The representative of Austria said that the Chair and the Secretariat agreed. "
        "The delegate of Hungary added that the Co-Chair and the delegation of Serbia noted goals 1 and 2. "
    )
    said_again = "The representative of Austria said the same. " * 40
    paragraph = ((unit + said_again) * (29_000 // len(unit + said_again) + 1))[:29_000].rsplit(" ", 1)[0]
    count = max(1, min(400, size // 29_000))
    return (HEADER + "\n\n".join(f"{n}. {paragraph}" for n in range(1, count + 1)) + "\n").encode()


def broken_words_and_running_lines(size: int = 800 * 1000) -> bytes:
    """800 KB as a careless PDF copy gives it: every word broken at a line's end ("migra-" / "tion"), a running
    header and a page number between every two lines, and a word of 20,000 letters broken at its end."""
    unit = (
        "The representative of Austria said that migra-\ntion and integra-\n\nPage 3 of 7\n\n"
        "Budapest Process – X\n\ntion matter. "
    )
    paragraph = (unit * (29_000 // len(unit) + 1))[:29_000]
    count = max(1, min(26, size // 29_000))
    body = "\n\n".join(f"§ {n} {paragraph}" for n in range(1, count + 1))
    return (HEADER + body + "\n\n" + "§ 27 " + "a" * 20_000 + "-\nb.\n").encode()


def nested_tables(depth: int = 5000) -> bytes:
    """A Word file whose only table holds a table that holds a table …, `depth` deep (written as a zip: the
    XML library python-docx uses refuses such depth, Word and the importer's reader do not)."""
    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "<w:tbl><w:tr><w:tc>" * depth + "<w:p><w:r><w:t>1. Deep</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl>" * depth
    with zipfile.ZipFile(io.BytesIO(_docx("x"))) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    parts["word/document.xml"] = f"<w:document {namespace}><w:body>{body}</w:body></w:document>".encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


SHAPES = {
    "1 MB of spaces in a .docx": ("spaces.docx", docx_of_spaces),
    "40 KB of **": ("stars.md", stars),
    "150 KB of numbered paragraphs": ("numbered.txt", numbered_lines),
    "150 KB of a numbered list in one paragraph": ("list.txt", numbered_list),
    "1 MB of spaces and tabs in text": ("spaces.txt", spaces_in_text),
    "800 KB of role words and sub-numbers": ("roles.txt", roles_and_sub_numbers),
    "800 KB of role words, a sentence said again and again": ("said-again.txt", role_sentences_said_again),
    "800 KB of words broken at line ends, running headers": ("broken.txt", broken_words_and_running_lines),
    "tables nested 5,000 deep in a .docx": ("nested.docx", nested_tables),
    "150 KB of lettered paragraphs, leads and goals by subject": ("lettered.txt", lettered_leads_and_subjects),
}
