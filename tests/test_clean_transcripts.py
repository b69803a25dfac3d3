"""Transcripts: turns opened by speaker labels in capitals ("SPOKESPERSON:", "QUESTION:",
"MR. HALLORAN:") are the article however short, once two speakers alternate; a label used on
its own ("UPDATE: ...") or two that never alternate are not a dialogue."""

from __future__ import annotations

from clean_snippets import P1, P2, P3, TITLE, clean_lines

LONG = "MR. HALLORAN: " + P1
TURNS = ("QUESTION: Did they accept?", "MR. HALLORAN: Not yet.", "QUESTION: Why not?",
         "MR. HALLORAN: " + P2, "QUESTION: Thank you.", "MR. HALLORAN: Thanks, everybody.")


def test_short_turns_at_the_end_of_a_transcript_are_kept() -> None:
    text = clean_lines(TITLE, "May 20, 2025", LONG, *TURNS, "Related Briefings", "Back to top").text
    assert all(t in text for t in TURNS)
    assert "Related Briefings" not in text


def test_one_label_used_repeatedly_is_not_a_transcript() -> None:
    # Near miss: short "UPDATE:" lines after the article stay outside it.
    text = clean_lines(TITLE, P1, P2, P3, "Share", "UPDATE: Talks resumed.", "UPDATE: Delegations left.",
                       "UPDATE: No deal yet.", "UPDATE: Leaders to meet again.").text
    assert "UPDATE" not in text


def test_two_labels_that_never_alternate_are_not_a_transcript() -> None:
    # Near miss: a block of one label, then a block of another (menus of sections, not speakers).
    text = clean_lines(TITLE, P1, P2, P3, "Share", "LIVE: Talks resumed.", "LIVE: Delegations left.",
                       "ANALYSIS: No deal yet.", "ANALYSIS: What comes next.").text
    assert "LIVE" not in text and "ANALYSIS" not in text
