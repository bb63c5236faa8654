"""Update bodies: the shared renderer gives every text exactly what Markdown makes of it."""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_status.markdown import Renderer, plain_text, read_text, sanitize

EXTENSIONS = ["toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html", "def_list", "footnotes", "abbr",
              "pymdownx.tasklist", "pymdownx.superfences", "pymdownx.details"]
CONFIGS = {"pymdownx.tasklist": {"custom_checkbox": True}}
_full = markdown.Markdown(extensions=[e for e in EXTENSIONS if e != "toc"], extension_configs=CONFIGS, output_format="html")


def through_markdown(text: str) -> str:
    _full.reset()
    return sanitize(_full.convert(text))


# Prose with the characters updates are written with, Markdown's own among them.
LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=60)
TEXTS = st.lists(st.one_of(LINE, st.sampled_from(["", " ", "  ", "We are investigating.", "Agents: 12 (of 40)!", "- item", "1. one",
                                                 "> quote", "# heading", "===", "a  ", "b\u00a0", "**bold**", "[x](y)", "<b>x</b>",
                                                 "tab\there", "A\x85", "B\u2028c", "Økt feilrate – vi undersøker", "http://example.com/a?b=c", ": def"])),
                 max_size=8).map("\n".join)


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_every_update_text_renders_exactly_as_markdown_would(text: str) -> None:
    assert Renderer(EXTENSIONS, CONFIGS).render(text) == through_markdown(text)


def test_plain_paragraphs_come_out_as_paragraphs() -> None:
    text = "We are investigating reports of delayed calls.\nAgents in Oslo are affected.\n\nNext update within 30 minutes."
    assert Renderer(EXTENSIONS, CONFIGS).render(text) == (
        "<p>We are investigating reports of delayed calls.\nAgents in Oslo are affected.</p>\n<p>Next update within 30 minutes.</p>")


def test_an_extension_that_changes_prose_is_applied_to_prose_too() -> None:
    # smarty turns straight quotes and double dashes into typographic ones, even in plain prose.
    assert Renderer(["smarty"]).render("It's back -- for everyone") == "<p>It\u2019s back \u2013 for everyone</p>"


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_plain_text_of_any_update_is_what_reading_its_html_gives(text: str) -> None:
    html = Renderer(EXTENSIONS, CONFIGS).render(text)
    assert plain_text(html) == read_text(html)


def test_plain_text_of_paragraphs_closes_up_white_space() -> None:
    html = "<p>We are  investigating.\nAgents   are affected.</p>\n<p>Next update soon.</p>"
    assert plain_text(html) == read_text(html) == "We are investigating. Agents are affected.\n\nNext update soon."


def test_a_glossary_of_abbreviations_marks_up_plain_prose_too() -> None:
    renderer = Renderer(["abbr"], {"abbr": {"glossary": {"API": "Application Programming Interface"}}})
    assert renderer.render("The API is down.") == '<p>The <abbr title="Application Programming Interface">API</abbr> is down.</p>'
