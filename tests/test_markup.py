from meetings.markup import render_blocks, render_inline, strip_markup


def test_bold_becomes_strong():
    assert str(render_inline("**Austria** highlighted")) == "<strong>Austria</strong> highlighted"


def test_footnote_marker_links_to_its_note():
    html = str(render_inline("priority goals 1, 2 and 6² were mentioned"))
    assert '<a class="fnref" href="#fn2" aria-label="Footnote 2">²</a>' in html


def test_typed_html_is_escaped_not_rendered():
    html = str(render_inline('**<script>alert(1)</script>** <img src=x onerror="alert(1)">'))
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_numbered_lines_become_an_ordered_list():
    html = str(render_blocks("Intro line:\n\n1. First **goal**,\n2. Second goal"))
    assert html == (
        '<p>Intro line:</p><ol><li value="1">First <strong>goal</strong>,</li><li value="2">Second goal</li></ol>'
    )


def test_strip_markup_keeps_the_words():
    assert strip_markup("**EU Member States** highlighted") == "EU Member States highlighted"
