"""Notes about a translated or republished copy ("Translated from Ukrainian by X", "This article
was first published in Ukrainian on 11 April") are not the article; reports about another text's
publication, or quoted speech mentioning "this article", are."""

from __future__ import annotations

from clean_snippets import P1, P2, P3, P4, TITLE, paragraphs


def test_translation_and_first_published_notes_are_dropped() -> None:
    got = paragraphs(TITLE, "12 April 2025", P1, "Translated from Ukrainian by Andriy Melnyk", P2, P3, P4,
                     "This article was first published in Ukrainian on 11 April 2025.")
    assert got == [P1, P2, P3, P4]


def test_a_version_of_this_story_note_is_dropped() -> None:
    got = paragraphs(TITLE, P1, P2, P3, P4, "A version of this story originally appeared in Le Monde.")
    assert got == [P1, P2, P3, P4]


def test_near_misses_about_other_texts_or_in_speech_are_kept() -> None:
    other = "The article was first published in Pravda in 1994 and was translated by the embassy."
    speech = "This article was first published in 1994, the minister said of the treaty clause."
    by_officials = "Translated from Russian by Kremlin aides, the letter set out conditions for a ceasefire."
    got = paragraphs(TITLE, P1, other, P2, speech, P3, by_officials, P4)
    assert got == [P1, other, P2, speech, P3, by_officials, P4]
