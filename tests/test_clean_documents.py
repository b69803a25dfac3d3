"""Copies of documents rather than web pages: PDF-to-text copies (columns in a running header,
page numbers, a press release's closing "Notes to editors") and articles forwarded by e-mail
(the message's header block, a newsletter's "trouble viewing this email" line)."""

from __future__ import annotations

from clean_snippets import P1, P2, P3, P4, TITLE, clean_lines, paragraphs

from peacetalks.clean import clean_text


def _wrap(text: str, width: int = 78) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


HEADER = "ORAVIA INSTITUTE FOR MEDIATION                          Press Release 41/2025"


def test_pdf_copy_columns_and_page_numbers_are_not_the_article() -> None:
    lines = [HEADER, "Geneva, 12 May 2025", "", TITLE, ""]
    for p in (P1, P2):
        lines += [*_wrap(p), ""]
    lines += [HEADER, "Page 1 of 2", "\f" + HEADER, ""]
    for p in (P3, P4):
        lines += [*_wrap(p), ""]
    lines += [HEADER, "Page 2 of 2"]
    c = clean_text("\n".join(lines) + "\n", "test")
    assert c.title == TITLE and c.date == "2025-05-12"
    assert c.text.split("\n\n") == [P1, P2, P3, P4]


def test_wrapped_paragraph_with_double_spaces_is_still_joined() -> None:
    # Near miss: two spaces after a full stop (typewriter style) are not a column gap.
    wrapped = _wrap(P1.replace("Monday and", "Monday.  And"), 60)
    lines = [TITLE, "", *wrapped, "", *_wrap(P2, 60), "", *_wrap(P3, 60)]
    assert paragraphs(*lines)[0] == " ".join(" ".join(wrapped).split())


def test_page_number_line_is_dropped_but_a_sentence_with_numbers_stays() -> None:
    text = clean_lines(TITLE, P1, "Page 3 of 7", P2, "3/7", P3, "Two of seven points were agreed.", P4).text
    assert "Page 3 of 7" not in text and "3/7" not in text
    assert "Two of seven points were agreed." in text


def test_notes_to_editors_end_a_press_release() -> None:
    about = ("The institute is an independent foundation established in 2009 that has facilitated "
             "dialogue processes in eleven countries on three continents.")
    text = clean_lines(TITLE, P1, P2, P3, "Notes to editors", about, "Media contacts", "Lena Brandt").text
    assert all(p in text for p in (P1, P2, P3)) and about not in text


def test_a_sentence_about_editors_or_information_does_not_end_the_article() -> None:
    # Near miss: the words of the headings inside sentences.
    s = "For more information on the talks, the ministry said, journalists should consult its notes."
    text = clean_lines(TITLE, P1, P2, s, P3, P4).text
    assert all(p in text for p in (P1, P2, s, P3, P4))


def test_forwarded_email_header_is_not_the_title() -> None:
    c = clean_lines("---------- Forwarded message ---------", "From: Weekly Dispatch <news@example.org>",
                    "Date: Mon, 12 May 2025 at 07:02", f"Subject: {TITLE}", "To: <reader@example.org>",
                    "Having trouble viewing this email? Open it online", TITLE, "12 May 2025", P1, P2, P3)
    assert c.title == TITLE
    assert "Subject" not in c.text and "trouble viewing" not in c.text


def test_a_lone_subject_line_is_left_alone() -> None:
    # Near miss: one "Subject:" line is not a message header (and a sentence about trouble
    # viewing something is a sentence).
    line = "Subject: the exchange of detainees and the reopening of the border crossings"
    s = "Several delegates said they had trouble viewing this message from the mediators as neutral."
    text = clean_lines(TITLE, P1, line, P2, s, P3).text
    assert line in text and s in text
