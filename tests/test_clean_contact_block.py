"""A press office's contact block (two or more "Tel.:"/"E-mail:" lines close together) ends the
article: the note printed after it is not the article's last paragraph. A single contact line
inside the article ends nothing."""

from __future__ import annotations

from clean_snippets import P1, P2, P3, P4, TITLE, clean_lines

from peacetalks.html import clean_html

NOTE = "Media accreditation requests should be sent at least 48 hours before the event."
BLOCK = ("Press Office", "Ministry of Foreign Affairs of Valdoria", "Tel.: +1 555 0100",
         "E-mail: press@mfa.valdoria.example")


def test_note_after_a_contact_block_is_dropped() -> None:
    text = clean_lines(TITLE, "12 May 2025", P1, P2, P3, *BLOCK, NOTE).text
    assert all(p in text for p in (P1, P2, P3))
    assert NOTE not in text and "Press Office" not in text


def test_note_after_a_contact_block_is_dropped_in_html() -> None:
    # The extractor keeps the block's lines together, close enough to the article to join it.
    page = (f"<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>"
            f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><div class=contact><p><b>{BLOCK[0]}</b><br>{BLOCK[1]}"
            f"<br>{BLOCK[2]}<br>{BLOCK[3]}</p><p>{NOTE}</p></div></article></body></html>")
    text = clean_html(page, "t").text
    assert P3 in text and NOTE not in text and BLOCK[1] not in text


def test_one_contact_line_inside_the_article_ends_nothing() -> None:
    # Near miss: a single "E-mail:" line between paragraphs; the article goes on after it.
    text = clean_lines(TITLE, P1, P2, "E-mail: tips@example.org", P3, P4).text
    assert all(p in text for p in (P1, P2, P3, P4))


def test_contact_lines_far_apart_are_not_a_block() -> None:
    # Near miss: two contact lines with the article between them.
    text = clean_lines(TITLE, P1, "Tel.: +1 555 0100", P2, P3, "E-mail: tips@example.org", P4).text
    assert all(p in text for p in (P1, P2, P3, P4))
