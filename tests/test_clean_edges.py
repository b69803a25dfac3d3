"""The article's short closing sentences (boilerplate_edges): kept after the last paragraph when
shaped like a sentence of the story; furniture addressing the reader, headings and labels after
the article stay out (the near misses)."""

from __future__ import annotations

from clean_snippets import P1, P2, P3, P4, TITLE, paragraphs


def test_a_short_last_sentence_of_the_story_is_kept() -> None:
    for closing in ("Peskov declined to comment.", "The talks will resume next week.",
                    "“We are ready,” he said.", "Reports of shelling continued."):
        assert paragraphs(TITLE, P1, P2, P3, P4, closing) == [P1, P2, P3, P4, closing]
    two = ["Both sides deny it.", "Ukraine says otherwise."]
    assert paragraphs(TITLE, P1, P2, P3, P4, *two) == [P1, P2, P3, P4, *two]


def test_furniture_after_the_article_stays_out() -> None:
    for line in ("Thank you for reading.", "We value your feedback.", "Share This Article.",
                 "All rights reserved.", "Read more.", "Most Read Stories", "Report a correction.",
                 "Send tips to the newsroom.", "This story has been updated.", "Filed under diplomacy."):
        assert paragraphs(TITLE, P1, P2, P3, P4, line) == [P1, P2, P3, P4], line
    # only what directly follows the article: a sentence after a heading is not its end
    assert paragraphs(TITLE, P1, P2, P3, P4, "More From Our Site", "Talks resume on Friday.") == [
        P1, P2, P3, P4]
