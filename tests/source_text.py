"""Reading the 2020 source document and rendered pages as plain text, for tests that compare them."""

import re
from html.parser import HTMLParser
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "2020-12-02-annual-som.txt"
_FOOTNOTE_BLOCK = re.compile(r"^¹ The .*?^² see above\s*$", re.MULTILINE | re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*])")


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


def source_footnotes() -> list[str]:
    """The footnote block of the source, one entry per line."""
    found = _FOOTNOTE_BLOCK.search(source_text())
    assert found is not None, "the source has a footnote block"
    block = found.group(0)
    return [line.strip() for line in block.splitlines() if line.strip()]


def source_paragraphs() -> dict[int, str]:
    """The numbered paragraphs of the summary, with page breaks and the footnote block taken out."""
    body = _FOOTNOTE_BLOCK.sub(" ", source_text())
    body = " " + collapse(body[body.index("1. The Annual") :])
    # Each paragraph starts at the first " N. " after the start of paragraph N-1; numbers inside
    # the text ("priority goals 1 and 2. Albania") come only after the real start.
    starts: list[int] = []
    number = 1
    while (found := body.find(f" {number}. ", starts[-1] if starts else 0)) != -1:
        starts.append(found)
        number += 1
    ends = starts[1:] + [len(body)]
    return {
        n: body[start + len(f" {n}. ") : end].strip()
        for n, (start, end) in enumerate(zip(starts, ends, strict=True), 1)
    }


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(collapse(text)) if s]


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """What a reader sees of a page: the text without tags, whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(html)
    return collapse("".join(extractor.parts))


class _Texts(HTMLParser):
    """What a reader meets on a page: text, the attributes read aloud or shown, the title and description,
    outside script and style, and (where `skip_english`) outside any element marked lang="en"."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, skip_english: bool):
        super().__init__(convert_charrefs=True)
        self.skip_english = skip_english
        self.texts: list[str] = []
        self._stack: list[bool] = []  # per open element: is it skipped?

    def _skipped(self) -> bool:
        return any(self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = tag in {"script", "style"} or (self.skip_english and attributes.get("lang", "").startswith("en"))
        if not (skip or self._skipped()):
            for name in ("placeholder", "aria-label", "title", "alt"):
                if attributes.get(name):
                    self.texts.append(attributes[name])
            if tag == "meta" and "description" in (attributes.get("name"), attributes.get("property")):
                self.texts.append(attributes.get("content") or "")
        if tag not in self.VOID:
            self._stack.append(skip)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if not self._skipped() and data.strip():
            self.texts.append(data.strip())


def page_texts(html: str, skip_english: bool = False) -> list[str]:
    """Each piece of text a reader meets on a page (_Texts), in order."""
    parser = _Texts(skip_english)
    parser.feed(html)
    return parser.texts
