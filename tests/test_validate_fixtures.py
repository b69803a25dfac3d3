"""One invalid fixture per check id proves that exactly that id fires (together with the ids
its `fires:` lists, which the fixture explains); the valid fixture proves none fires.

The fixtures are edits of tests/fixtures/validation/valid/ (see validation_fixtures.py)."""

from __future__ import annotations

import pytest
from validation_fixtures import INVALID, load_fixture, make_repo, write_release

from peacetalks.checks import CHECKS
from peacetalks.paths import Repo
from peacetalks.validate import validate_repo


def test_every_check_has_a_fixture_and_every_fixture_a_check():
    files = {p.stem for p in INVALID.glob("*.yaml")}
    assert files == set(CHECKS)
    for check_id in CHECKS:
        fx = load_fixture(check_id)
        assert check_id in fx["fires"], check_id
        assert set(fx["fires"]) <= set(CHECKS), check_id
        assert fx["why"].strip()


def test_valid_fixture_fires_nothing(tmp_path):
    root = make_repo(tmp_path)
    release = write_release(root, tmp_path / "release")
    report = validate_repo(Repo(root), release, write_reports=False)
    assert [str(i) for i in report.incidents] == []
    # Not vacuous: every suite ran every expectation over non-empty tables.
    for name, counts in report.expectations.items():
        assert counts["evaluated"] == counts["declared"] > 0, name
    assert report.rows["entities"] > 0 and report.rows["release:entities"] > 0


@pytest.mark.parametrize("check_id", list(CHECKS))
def test_invalid_fixture_fires_exactly_its_ids(tmp_path, check_id):
    fx = load_fixture(check_id)
    root = make_repo(tmp_path, fx.get("edits"))
    release = None
    if "release" in fx:
        release = write_release(root, tmp_path / "release", fx["release"].get("edits"),
                                readme=fx["release"].get("readme"))
    report = validate_repo(Repo(root), release, write_reports=False)
    fired = report.fired()
    assert check_id in fired, [str(i) for i in report.incidents]
    assert fired == set(fx["fires"]), [str(i) for i in report.incidents]
    # An error check makes the run fail; a warning check is reported but does not.
    assert report.ok == all(CHECKS[c].severity == "warning" for c in fired)
    for i in report.incidents:
        assert i.where and i.message and "Traceback" not in i.message
