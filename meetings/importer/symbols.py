"""Word's symbols (`<w:sym w:font="Symbol" w:char="F0B7"/>`) as the Unicode characters they show.

Word stores a character of a symbol font as its code in that font, often shifted into the private use area
(F000 + the code): Symbol's F0B7 is a bullet, Wingdings' F0FC a tick. The common ones are named here; any
other keeps the character Word stores (a letter of an ordinary font as that letter), so that no text is lost.
"""

from __future__ import annotations

# By font (lower case) and the code in it (without the F000 shift).
_SYMBOLS: dict[str, dict[int, str]] = {
    "symbol": {
        0xB7: "•", 0xD7: "⋅", 0xAE: "→", 0xAC: "←", 0xAD: "↑", 0xAF: "↓", 0xAB: "↔", 0xDE: "⇒", 0xDC: "⇐",
        0xB0: "°", 0xB1: "±", 0xB4: "×", 0xB8: "÷", 0xA3: "≤", 0xB3: "≥", 0xB9: "≠", 0xBB: "≈", 0x2D: "−",
        0xA5: "∞", 0xE2: "®", 0xE3: "©", 0xE4: "™", 0xD2: "®", 0xD3: "©", 0xD4: "™", 0xA7: "♣", 0xA8: "♦",
        0xA9: "♥", 0xAA: "♠", 0xBC: "…", 0x2A: "∗", 0x6D: "μ",
    },
    "wingdings": {
        0x6C: "●", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x75: "◆", 0x76: "❖", 0x77: "◆", 0x9F: "•", 0xA7: "▪",
        0xA8: "◻", 0xD8: "➢", 0xE0: "➔", 0xE8: "➔", 0xF0: "⇨", 0xFC: "✓", 0xFB: "✗", 0xFD: "☒", 0xFE: "☑",
        0x46: "☞", 0x4A: "☺", 0x4C: "☹", 0xA1: "○", 0xA4: "◉", 0x3F: "✍", 0x2A: "✉", 0x28: "☎",
    },
    "wingdings 2": {0x50: "✓", 0x4F: "✗", 0x98: "•", 0x97: "•", 0xA2: "●", 0xA3: "■", 0x54: "☒", 0x52: "☑"},
    "wingdings 3": {0x84: "►", 0x7D: "▶", 0xC6: "➔", 0x22: "→", 0x21: "←", 0x67: "▶", 0x75: "▶"},
}  # fmt: skip
_PRIVATE_SHIFT = 0xF000


def symbol(font: str, char: str) -> str:
    """The character a w:sym shows: "•" for ("Symbol", "F0B7"); "" for a code that is no number."""
    try:
        code = int(char, 16)
    except ValueError:
        return ""
    plain = code - _PRIVATE_SHIFT if _PRIVATE_SHIFT <= code <= _PRIVATE_SHIFT + 0xFF else code
    known = _SYMBOLS.get(font.strip().casefold(), {}).get(plain)
    if known is not None:
        return known
    if font.strip().casefold() not in _SYMBOLS and plain != code:
        return chr(plain)  # an ordinary font's letter, shifted as symbol fonts are
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else ""
