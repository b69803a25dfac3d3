"""The page object's offset arithmetic (no browser): code points in, rendered positions out."""

from labeling_page import Region, _line_position


def test_line_position_counts_utf16_units_per_rendered_line():
    text = "a🇺🇦b\n\nJose\u0301 李辉 👨‍👩‍👧‍👦x"
    assert _line_position(text, 0) == (0, 0)
    # After "a" and a flag (two regional indicators, astral: two UTF-16 units each).
    assert _line_position(text, 3) == (0, 5)
    assert _line_position(text, text.index("\n") + 1) == (1, 0)  # the empty line
    assert _line_position(text, text.index("J")) == (2, 0)
    # Combining mark: 1 unit; CJK: 1 unit each; the ZWJ family: 4 astral + 3 ZWJ = 11 units.
    assert _line_position(text, text.index("x")) == (2, 5 + 1 + 2 + 1 + 11)


def test_region_id_is_label_studio_region_id_even_with_dashes():
    assert Region(3, "GPE", 0, 7, "htx-highlight-VdGn-AfQpQ-5").id == "VdGn-AfQpQ"
