"""A second article auto-loaded under the first (infinite scroll, "Next article"): its header,
a headline, a byline and a dated line, ends the first article; a live blog's entries, whose
headings and authors carry only a time, do not."""

from __future__ import annotations

from clean_snippets import P1, P2, P3, P4, TITLE, clean_lines

Q1 = ("The country's ruling party won a majority in Thursday's parliamentary election according to "
      "preliminary results, as the opposition refused to recognise the outcome of the vote.")
Q2 = ("Observers said the vote had been marred by pressure on public sector employees and by unequal "
      "access to the media during a campaign that lasted less than a month.")
Q3 = ("Opposition leaders said they would not take up their seats and called their supporters onto "
      "the streets of the capital for a third night of protests against the result.")
HEADER = ("Talks resume after months of silence", "By Anna Field", "12 May 2025")


def test_second_article_under_the_first_is_dropped() -> None:
    text = clean_lines(*HEADER, P1, P2, P3, "Advertisement", "Comments (12)", "Next article", "World",
                       "Ruling party wins disputed vote as opposition calls protests", "By John Doe",
                       "11 May 2025", Q1, Q2, Q3, "Loading next article...").text
    assert all(p in text for p in (P1, P2, P3))
    assert not any(q in text for q in (Q1, Q2, Q3))


def test_live_blog_entries_with_headings_and_authors_are_kept() -> None:
    # Near miss: each entry has a heading and an author, but only a time, not a dated header.
    lines = [*HEADER, P1, P2, P3, "Share", "Share", "10:42 BST",
             "Opposition leaders call for protests in the capital", "By John Doe", Q1, Q2, Q3]
    c = clean_lines(*lines)
    assert c.title == TITLE
    assert all(p in c.text for p in (P1, P2, P3, Q1, Q2, Q3))


def test_dated_update_without_a_byline_is_kept() -> None:
    # Near miss: a heading and a dated line after the article, but no byline: an update of the
    # same story (the weight rules keep it), not a second article.
    c = clean_lines(*HEADER, P1, P2, P3, "Read more: Ceasefire monitors explained",
                    "Update: talks collapse hours after they resumed", "13 May 2025", Q1, Q2, Q3)
    assert all(p in c.text for p in (P1, P2, P3, Q1, Q2, Q3))


def test_related_card_with_a_byline_inside_the_article_is_not_a_second_article() -> None:
    # Near miss: a "Related" card (headline, byline, date) between paragraphs; the article goes on.
    text = clean_lines(*HEADER, P1, P2, P3, "Related",
                       "Ruling party wins disputed vote as opposition calls protests",
                       "By John Doe", "11 May 2025", P4, Q1, Q2).text
    assert all(p in text for p in (P1, P2, P3, P4))


def test_second_article_right_under_the_first_is_dropped() -> None:
    # A select-all copy with nothing between the two stories: the header splits the prose.
    text = clean_lines(*HEADER, P1, P2, P3, "Ruling party wins disputed vote as opposition calls protests",
                       "By John Doe", "11 May 2025", Q1, Q2, Q3).text
    assert all(p in text for p in (P1, P2, P3))
    assert not any(q in text for q in (Q1, Q2, Q3))


def test_live_blog_entry_right_under_the_lead_is_kept() -> None:
    # Near miss: the same without a year in the header (a live blog's time stamp).
    text = clean_lines(*HEADER, P1, P2, P3, "Ruling party wins disputed vote as opposition calls protests",
                       "By John Doe", "10:42 BST", Q1, Q2, Q3).text
    assert all(p in text for p in (P1, P2, P3, Q1, Q2, Q3))


def test_unlabelled_related_card_between_two_halves_is_not_a_second_article() -> None:
    # A card (headline, byline, date) with no "Related" label: the paragraph after it does not
    # echo the card's headline, so the article goes on.
    text = clean_lines(*HEADER, P1, P2, P3, "Ruling party wins disputed vote as opposition calls protests",
                       "By John Doe", "11 May 2025", P4, Q1, Q2).text
    assert all(p in text for p in (P1, P2, P3, P4))
    assert "Ruling party wins" not in text and "John Doe" not in text


def test_live_entries_with_dated_headers_by_the_same_author_are_kept() -> None:
    # Entries whose headers carry the year: signed by the author who signed the page.
    r1 = ("A small team from the European Union's monitoring mission arrived at the talks venue this "
          "morning, in what diplomats described as a gesture of support for the talks.")
    c = clean_lines(*HEADER, P1, P2, P3, "Observers from the European mission arrive at the talks venue",
                    "By Anna Field", "11:30, 12 May 2025", r1, P4, Q1)
    assert all(p in c.text for p in (P1, P2, P3, r1, P4, Q1))
