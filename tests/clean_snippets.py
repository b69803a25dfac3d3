"""Article paragraphs and helpers shared by the cleaner's rule tests (test_clean_inline.py,
test_clean_page_parts.py, test_clean_lists_captions.py): four plain paragraphs of one story that
every rule must keep, and a cleaner call on lines of text."""

from __future__ import annotations

from peacetalks.clean import Cleaned, clean_text

TITLE = "Talks resume after months of silence"
P1 = ("The two delegations met for more than five hours on Monday and agreed to meet again next "
      "month, according to a statement issued by the mediators after the session ended.")
P2 = ("Officials on both sides said the talks had been difficult but useful, and that a list of "
      "detainees to be exchanged would be drawn up by the end of the week by a joint committee.")
P3 = ("Neither government commented on the substance of the talks, which took place behind closed "
      "doors at a hotel outside the capital under heavy security and without any reporters present.")
P4 = ("Analysts said the agreement to keep talking was itself a modest success after months in which "
      "the two sides had exchanged accusations and refused to sit in the same room together.")


def clean_lines(*lines: str) -> Cleaned:
    return clean_text("\n".join(lines) + "\n", "test")


def paragraphs(*lines: str) -> list[str]:
    return clean_lines(*lines).text.split("\n\n")
