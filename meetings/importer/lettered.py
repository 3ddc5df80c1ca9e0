"""Paragraphs labelled by letters ("a.", "b)", "(c)", "A.", Word's lettered list) read as numbered paragraphs.

A summary numbers its paragraphs; some number them by letter. The letters are read as paragraph numbers
(a → 1, b → 2 …) only where their run (a, b, c … in order, each opening a line of text) is longer than the run of
numbers (1, 2, 3 …): points "a)" inside numbered paragraphs stay points. The review says so, as the page will
show numbers where the summary shows letters. A short line after a letter is a heading ("B. Interventions"),
not a paragraph.
"""

from __future__ import annotations

import re

# "a. …", "b) …", "(c) …", "A. …": one letter, then the text of the paragraph.
_LETTERED = re.compile(
    r"^(?P<indent>[ \t]*)(?:\((?P<bracketed>[A-Za-z])\)|(?P<letter>[A-Za-z])(?P<mark>[.)]))[ \t]+(?=\S)"
)
# A line of text, not a heading: it ends a sentence or is long.
_SENTENCE = re.compile(r"[.;:!?]\S{0,3}$|[.;!?]\s")
_HEADING_LENGTH = 120


def _longest_run(values: list[tuple[int, int]]) -> list[int]:
    """The line indices of the longest run 1, 2, 3 … among (line index, value), each value once, in order."""
    best: list[int] = []
    current: list[int] = []
    for index, value in values:
        if value == 1:
            current = [index]
        elif current and value == len(current) + 1:
            current.append(index)
        else:
            continue
        if len(current) > len(best):
            best = list(current)
    return best


def letters_as_numbers(lines: list[str], numbers: list[int]) -> tuple[list[str], str]:
    """The lines with lettered paragraphs numbered, and what to tell the officer ("" when the letters stay).

    `numbers`: the paragraph numbers that open lines, in their order (the numeric run they make is compared).
    """
    numeric = len(_longest_run(list(enumerate(numbers))))
    labelled: dict[bool, list[tuple[int, int]]] = {True: [], False: []}  # upper case or not → (line, value)
    for index, line in enumerate(lines):
        found = _LETTERED.match(line)
        if found is None:
            continue
        rest = line[found.end() :].strip()
        if len(rest) <= _HEADING_LENGTH and not _SENTENCE.search(rest):
            continue  # "B. Interventions": a heading
        letter = found["bracketed"] or found["letter"]
        labelled[letter.isupper()].append((index, ord(letter.lower()) - ord("a") + 1))
    run = max((_longest_run(values) for values in labelled.values()), key=len)
    if len(run) < 2 or len(run) <= numeric:
        return lines, ""
    renumbered = list(lines)
    for number, index in enumerate(run, start=1):
        found = _LETTERED.match(lines[index])
        assert found is not None
        label = f"({number})" if found["bracketed"] else f"{number}{found['mark']}"
        renumbered[index] = f"{found['indent']}{label} {lines[index][found.end() :]}"
    first, last = (_LETTERED.match(lines[index]) for index in (run[0], run[-1]))
    letters = [found["bracketed"] or found["letter"] for found in (first, last) if found is not None]
    said = (
        f"The paragraphs are lettered ({letters[0]} to {letters[-1]}), not numbered: they were read as paragraphs "
        f"1 to {len(run)}, as the meeting's page will number them."
    )
    return renumbered, said
