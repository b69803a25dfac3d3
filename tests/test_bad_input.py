"""Every kind of bad input is rejected or repaired with a reason naming the file; batches go on.
Also the exit codes of `peacetalks clean-files` (0 all cleaned, 1 some rejected, 2 usage)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from peacetalks.clean import clean_path
from peacetalks.cli import cli
from peacetalks.decode import MAX_BYTES
from peacetalks.errors import RejectedInput

PAGES = Path(__file__).parent / "fixtures" / "cleaning" / "pages"
ARTICLE = (
    "Ceasefire talks resume in Geneva\n"
    "Negotiators from Russia and Ukraine met in Geneva on Monday for a new round of talks on a "
    "ceasefire, officials said, after weeks of preparation by Swiss and Turkish diplomats.\n"
    "The delegations agreed to meet again next week and to exchange lists of prisoners, according "
    "to a statement released by the Swiss foreign ministry after the meeting.\n"
    "\u201cIt\u2019s a first step,\u201d one diplomat said of the two-hour meeting in the Palais des Nations.\n"
)


def write(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


def make_inputs(tmp: Path) -> dict[str, Path]:
    """One file per kind of bad input (plus a good one), as a user would hand them over."""
    big = tmp / "huge.txt"
    with big.open("wb") as f:  # 50 MB, sparse: cheap to create, must be refused before reading
        f.truncate(50 * 1024 * 1024)
    return {
        "good": write(tmp, "good.txt", ARTICLE.encode()),
        "empty": write(tmp, "empty.txt", b""),
        "binary": write(tmp, "image.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(2000)),
        "random-bytes": write(tmp, "noise.txt", bytes(range(256)) * 40),
        "invalid-utf8": write(tmp, "mixed.txt", ARTICLE.encode() + "caf\u00e9 \u2019\n".encode("cp1252")),
        "truncated-utf8": write(tmp, "cut.txt", (ARTICLE + "He added: \u201c").encode()[:-1]),
        "nul-bytes": write(tmp, "nul.txt", ARTICLE.encode().replace(b"Geneva on", b"Geneva\x00 on")),
        "legacy": write(tmp, "legacy.txt", ARTICLE.encode("cp1252")),
        "utf16": write(tmp, "utf16.txt", ARTICLE.encode("utf-16")),
        "too-large": big,
        "html-no-article": write(tmp, "nav.html", (
            b"<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> "
            b"<a href='/w'>World</a></nav><footer>&copy; 2025 Example</footer></body></html>")),
        "only-boilerplate": write(tmp, "furniture.txt", (
            "Home | World | Europe | Politics\nSkip to main content\nShare\nFacebook\nAdvertisement\n"
            "We use cookies to improve your experience. By continuing to browse you agree to our "
            "cookie policy.\nMost popular stories\nSign up for our newsletter\n"
            "\u00a9 2025 Example Media. All rights reserved.\n").encode()),
    }


EXPECTED_REJECTION = {
    "empty": "empty", "binary": "binary", "random-bytes": "binary", "too-large": "too-large",
    "html-no-article": "no-article", "only-boilerplate": "only-boilerplate",
}
EXPECTED_REPAIR = {"invalid-utf8": "invalid-utf8-repaired", "truncated-utf8": "truncated-utf8-repaired",
                   "nul-bytes": "nul-bytes-removed", "legacy": "legacy-encoding"}


@pytest.mark.parametrize("kind", sorted(EXPECTED_REJECTION))
def test_rejections_name_the_file_and_a_stable_reason(tmp_path: Path, kind: str) -> None:
    path = make_inputs(tmp_path)[kind]
    before = path.stat().st_size
    with pytest.raises(RejectedInput) as exc:
        clean_path(path)
    assert exc.value.reason == EXPECTED_REJECTION[kind]
    assert exc.value.where == str(path) and str(path) in str(exc.value)
    assert path.stat().st_size == before  # raw bytes untouched


@pytest.mark.parametrize("kind", sorted(EXPECTED_REPAIR))
def test_repairs_are_reported_and_text_survives(tmp_path: Path, kind: str) -> None:
    c = clean_path(make_inputs(tmp_path)[kind])
    assert EXPECTED_REPAIR[kind] in c.notes
    assert "Negotiators from Russia and Ukraine met in Geneva on Monday" in c.text
    assert "\x00" not in c.text and "\ufffd" not in c.text


def test_utf16_and_legacy_decode_curly_quotes(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path)
    for kind in ("utf16", "legacy"):
        assert "\u201cIt\u2019s a first step,\u201d" in clean_path(inputs[kind]).text


def test_clean_files_batch_exit_1_writes_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    inputs = make_inputs(tmp_path / "in")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["clean-files", *map(str, inputs.values()), "--out", str(out)])
    assert result.exit_code == 1, result.output
    written = sorted(p.name for p in out.iterdir())
    good = sorted(f"{p.name}.json" for k, p in inputs.items() if k not in EXPECTED_REJECTION)
    assert written == good
    for kind, reason in EXPECTED_REJECTION.items():
        assert f"{inputs[kind]}: {reason}" in result.output
    doc = json.loads((out / "good.txt.json").read_text())
    assert doc["title"] == "Ceasefire talks resume in Geneva" and doc["date"] is None
    assert doc["text"].startswith("Negotiators from Russia") and "Traceback" not in result.output


def test_clean_files_exit_0_when_all_clean(tmp_path: Path) -> None:
    out = tmp_path / "out"
    pages = sorted(PAGES.iterdir())[:3]
    result = CliRunner().invoke(cli, ["clean-files", *map(str, pages), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{p.name}.json" for p in pages)
    for p in pages:
        data = json.loads((out / f"{p.name}.json").read_text())
        assert {"title", "text", "date"} <= set(data) and data["text"]


@pytest.mark.parametrize("args", [
    ["clean-files", "--out", "x"],  # no input
    ["clean-files", "missing-file.txt", "--out", "x"],  # does not exist
    ["clean-files", "PAGE"],  # no --out
    ["clean-files", "PAGE", "PAGE", "--out", "x"],  # two inputs share one output name
    ["clean-files", "PAGE", "--out", "x", "--bogus"],
])
def test_clean_files_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    page = str(sorted(PAGES.iterdir())[0])
    args = [page if a == "PAGE" else str(tmp_path / a) if a == "x" else a for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "x").exists()


def test_size_limit_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = make_inputs(tmp_path)["too-large"]
    assert big.stat().st_size > MAX_BYTES
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a too-large file"))
    with pytest.raises(RejectedInput, match="too-large"):
        clean_path(big)
