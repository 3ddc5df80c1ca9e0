"""A paragraph's sentences, split only at the single spaces between them, so that joining them gives the text.

    split_sentences("Austria spoke. Dr. Smith of the e.g. Ministry replied: (a) first.")
    → ["Austria spoke.", "Dr. Smith of the e.g. Ministry replied:", "(a) first."]

A sentence ends at ".", "!" or "?" before a capital, a sub-paragraph's number ("3.1") or a point of a list ("(a)",
also after ":" or ";"), past closing quotes, footnote marks and stars; not after an abbreviation ("Dr.", "e.g."),
a single letter ("J. Smith") or a sub-paragraph's own number, and never inside **bold**.
"""

from __future__ import annotations

import re

from ..markup import SUPERSCRIPT_DIGITS

_ABBREVIATIONS = {
    "mr", "ms", "mrs", "dr", "prof", "st", "no", "nr", "nos", "vs", "e.g", "i.e", "h.e", "amb", "jr", "sr",
    "art", "arts", "para", "paras", "fig", "approx", "cf", "incl", "ca", "viz", "op", "vol", "p", "pp",
}  # fmt: skip
_OPENERS = "\"“‘'(["
_CLOSERS = "\"”’')]"


_BOLD_PAIR = re.compile(r"\*\*[^\n]+?\*\*")
_ENDS = ".!?"
_SKIPPED_BEFORE = set(_CLOSERS + SUPERSCRIPT_DIGITS + "*")
_SKIPPED_AFTER = set(_OPENERS + "*")


# A sub-paragraph "3.1." or "3.1" (Word's multilevel numbering, or typed): it stays in paragraph 3, as written,
# and opens a passage of its own. Paragraph numbers are whole numbers (Paragraph.number), so "3.1" is kept in
# the text rather than made a number.
_SUB_NUMBER = re.compile(r"\d{1,3}\.\d{1,2}")
SUB_START = re.compile(r"\d{1,3}\.\d{1,2}\.?\s")
SUB_NUMBERED = re.compile(r"^(\d{1,3})\.\d{1,2}\.?\s+\S")
# A point of a list inside a paragraph, "(a) …", "(iv) …", "b) …" (Word's second level, or typed): a sentence
# of its own, also after a colon or a semicolon, whose words after the label may name a speaker.
ITEM_LABEL = re.compile(r"(?:\((?:[a-z]|[ivx]{1,4})\)|[a-z]\))\s")
# An official named after a colon, who says something of their own: "The panel spoke first: Dr. X (University of
# Y) presented …" (the words after a colon are otherwise the same sentence: "… its programmes: counselling; …").
# A label before the colon, not a sentence: "Moderator", "Keynote speaker", "**Expert**".
_LABEL_BEFORE_COLON = re.compile(r"\s*\**[A-Z][\w-]*(?:\s+[\w-]+)?\**\s*")
_OFFICIAL_AFTER_COLON = re.compile(r"(?:H\.\s?E\.\s+)?(?:Mr|Ms|Mrs|Dr|Prof|Professor)\.?\s+[A-Z]")


# Where a sentence may end: a space after ".", "!" or "?" (or after ":" or ";", if a point "(a)" follows), past
# closing quotes, footnote marks and stars. Nothing else is looked at.
_CANDIDATE_END = re.compile("[" + re.escape(_ENDS + ":;") + "][" + re.escape("".join(sorted(_SKIPPED_BEFORE))) + "]* ")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, split only at the single spaces between them, so that joining gives the text.

    The search jumps from one candidate end (a space after ".", "!", "?", ":" or ";") to the next; only there are
    the word before it and the word after it read, from the space outwards and never past the next space, so that
    the time grows with the text alone, not with its sentences times their length.
    """
    bolds = [match.span() for match in _BOLD_PAIR.finditer(text)]  # in order, none overlapping
    bold = 0
    cuts: list[int] = []
    length = len(text)
    for candidate in _CANDIDATE_END.finditer(text):
        index = candidate.end() - 1  # the space
        while bold < len(bolds) and bolds[bold][1] - 1 <= index:
            bold += 1
        if bold < len(bolds) and bolds[bold][0] < index:
            continue  # between the two halves of a **bold** pair
        end = candidate.start() + 1  # the end of the word before, past its closing quotes, marks and stars
        item = ITEM_LABEL.match(text, index + 1)
        if text[end - 1] in ":;" and not item:
            if text[end - 1] == ";" or not _OFFICIAL_AFTER_COLON.match(text, index + 1):
                continue
            if _LABEL_BEFORE_COLON.fullmatch(text, cuts[-1] + 1 if cuts else 0, end - 1):
                continue  # "Moderator: Ms. X (IOM) …": a label, not a sentence of its own
        start = index + 1
        while start < length and text[start] in _SKIPPED_AFTER:
            start += 1
        if start >= length or not (item or text[start].isupper() or SUB_START.match(text, start)):
            continue
        if text[end - 1] == ".":
            word_start = end - 1
            while word_start > 0 and (text[word_start - 1].isalnum() or text[word_start - 1] in "._"):
                word_start -= 1
            token = text[word_start : end - 1].lower()
            if token and (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())):
                continue
            if _SUB_NUMBER.fullmatch(token):
                continue  # "3.1. The delegation …": the number of a sub-paragraph, not the end of a sentence
        cuts.append(index)
    sentences, start = [], 0
    for cut in cuts:
        sentences.append(text[start:cut])
        start = cut + 1
    sentences.append(text[start:])
    return [sentence for sentence in sentences if sentence]
