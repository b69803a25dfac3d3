"""Headline and date around the top of the article: the publisher's name printed again in a
contact block after the article is not the headline, a breadcrumb path above the headline is not
a headline it would be the dek of; on HTML pages without a declared date, the date is read from
a short line under (else above) the headline, never from a sentence of the article."""

from __future__ import annotations

from clean_snippets import P1, P2, P3, TITLE, clean_lines

from peacetalks.html import _date_around_title, clean_html

STATEMENT = "Statement by the Ministry on the ceasefire agreement signed in Geneva by the parties"


def test_masthead_repeated_in_the_contact_block_is_not_the_title() -> None:
    name = "Ministry of Foreign Affairs of the Republic of Valdoria"
    c = clean_lines(name, "Home", "The Ministry", "Press Centre", "Press Centre / Statements", STATEMENT,
                    "12 September 2025", P1, P2, P3, "Press Office", name, "Tel.: +1 555 0100")
    assert c.title == STATEMENT


def test_headline_printed_twice_before_the_article_still_wins() -> None:
    # Near miss: both copies of the headline are above the article (sticky header and <h1>).
    c = clean_lines("Northern Ledger", TITLE, "Home", "World", TITLE, "By Anna Field", P1, P2, P3,
                    "About us", "Northern Ledger")
    assert c.title == TITLE


def test_dek_under_the_headline_is_still_the_dek() -> None:
    # Near miss: the line above is a headline (no breadcrumb separator), so the lower line is
    # the standfirst and the upper one the headline.
    head = "Talks resume in Geneva after months of silence between the two sides"
    dek = "Delegations return to the table after a year of accusations and recriminations"
    c = clean_lines("Northern Ledger", "World", head, dek, P1, P2, P3)
    assert c.title == head


def _page(before: str, after: str) -> str:
    return (f"<html><head><title>{TITLE}</title></head><body><div id=main>{before}<h1>{TITLE}</h1>"
            f"{after}<p>{P1} The mission will run until 31 May 2026 under the new mandate.</p>"
            f"<p>{P2}</p><p>{P3}</p></div></body></html>")


def test_html_date_above_the_headline_beats_a_date_in_a_sentence() -> None:
    c = clean_html(_page("<div class=meta><span>SC/16203</span> <span>14 November 2025</span></div>", ""),
                   "t")
    assert c.date == "2025-11-14"


def test_html_date_under_the_headline_comes_first() -> None:
    # Near miss: a byline date under the headline is preferred to a date line above it.
    page = _page("<p>Updated 1 March 2025</p>", "<p>By Anna Field, 12 May 2025</p>")
    assert _date_around_title(page, TITLE) == "2025-05-12"


def test_html_date_only_in_a_sentence_is_not_the_page_date() -> None:
    assert clean_html(_page("", ""), "t").date is None
