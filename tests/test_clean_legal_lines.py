"""The notice under a press release that it is not an official record is page furniture, even
when it runs on into a sentence; a sentence of the article that says so of a document stays."""

from __future__ import annotations

from clean_snippets import P1, P2, P3, TITLE, clean_lines

NOTICE = "For information media. Not an official record. Issued by the Department of Global Communications."


def test_not_an_official_record_notice_is_dropped() -> None:
    text = clean_lines(TITLE, P1, P2, P3, NOTICE).text
    assert all(p in text for p in (P1, P2, P3)) and "official record" not in text


def test_sentence_about_an_unofficial_record_is_kept() -> None:
    # Near miss: the words inside an article sentence, not opening the line.
    said = ("The Kremlin said the transcript published by the newspaper was not an official record of "
            "the conversation between the two leaders.")
    text = clean_lines(TITLE, P1, said, P2, P3).text
    assert said in text
