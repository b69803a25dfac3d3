"""Data files are written by orjson (fast) but must stay byte-identical to what the stdlib's
pretty printer wrote before, so existing files in git do not churn; and the collector pause
used around bulk reads must always restore the collector."""

from __future__ import annotations

import gc
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peacetalks.fsio import dumps_json, dumps_json_bytes, loads_json
from peacetalks.gcpause import gc_paused

# What our data files hold: text (any Unicode, control characters included), 64-bit ints,
# plain-notation floats (offsets, lead times, scores), booleans, nulls, nested lists/objects.
scalars = (st.text() | st.integers(-(2**63), 2**63 - 1) | st.booleans() | st.none()
           | st.floats(min_value=1e-4, max_value=1e15, allow_nan=False))
json_like = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(), inner, max_size=4), max_leaves=25)


@settings(max_examples=300)
@given(json_like)
def test_pretty_json_is_byte_identical_to_the_stdlib_and_round_trips(data):
    expected = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert dumps_json(data) == expected
    assert dumps_json_bytes(data) == expected.encode("utf-8")
    assert loads_json(dumps_json_bytes(data)) == data


def test_what_orjson_refuses_goes_through_the_stdlib():
    big = {"n": 2**70, 3: "int key"}
    assert dumps_json(big) == json.dumps(big, ensure_ascii=False, indent=2) + "\n"


def test_invalid_json_is_a_value_error_like_the_stdlib():
    with pytest.raises(ValueError):
        loads_json(b'{"a": ')
    with pytest.raises(ValueError):
        loads_json(b'"\xff"')  # invalid UTF-8


@pytest.mark.parametrize("enabled", [True, False])
def test_gc_pause_restores_the_collector_even_after_an_error(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(RuntimeError):
            with gc_paused():
                assert not gc.isenabled()
                raise RuntimeError("boom")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
