"""Load a built release back the way users will, and compare with what the build meant to write.

datasets fails silently in ways that matter here (notes/datasets-and-gx.md): a declared column
missing from the Parquet loads as all-None, class ids out of range load without error, a typo in
`dataset_info.config_name` silently turns ClassLabels into int64. So every check below compares
values, and a mismatch raises ReleaseError naming config, split and column.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from datasets import ClassLabel, Features, List

from .errors import ReleaseError

if TYPE_CHECKING:
    from .build import BuildResult


def label_columns(features: Features) -> Iterator[tuple[tuple[str, ...], int]]:
    """(path, number of classes) of every ClassLabel, however deeply nested in lists/structs."""

    def walk(feature: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], int]]:
        while isinstance(feature, List):
            feature = feature.feature
        if isinstance(feature, ClassLabel):
            yield path, feature.num_classes
        elif isinstance(feature, dict):
            for key, sub in feature.items():
                yield from walk(sub, (*path, key))

    yield from walk(features, ())


def _leaf(array: pa.Array, path: tuple[str, ...]) -> pa.Array:
    """Flatten lists and descend into struct fields down to the values at `path`."""
    for key in path:
        while pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
            array = pc.list_flatten(array)
        array = pc.struct_field(array, key) if pa.types.is_struct(array.type) else array
    while pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        array = pc.list_flatten(array)
    return array


def check_class_ids(table: pa.Table, features: Features, where: str) -> None:
    for path, n in label_columns(features):
        column = table.column(path[0])
        for chunk in column.chunks:
            values = _leaf(chunk, path[1:])
            if len(values) == 0:
                continue
            mm = pc.min_max(values).as_py()
            if values.null_count or mm["min"] < 0 or mm["max"] >= n:
                raise ReleaseError(
                    f"{where}: column {'.'.join(path)} has class ids outside 0..{n - 1} "
                    f"(min {mm['min']}, max {mm['max']}, nulls {values.null_count})"
                )


def check_schema(schema: pa.Schema, want: pa.Schema, where: str) -> None:
    """The Parquet schema must be exactly the Features' arrow_schema `want` (columns, types, and
    the `huggingface` metadata that carries the ClassLabels)."""
    missing = [n for n in want.names if n not in schema.names]
    extra = [n for n in schema.names if n not in want.names]
    if missing or extra:
        raise ReleaseError(f"{where}: columns missing {missing}, unexpected {extra} "
                           "(a missing column would load as all None)")
    for f in want:
        if schema.field(f.name).type != f.type:
            raise ReleaseError(f"{where}: column {f.name} is {schema.field(f.name).type}, expected {f.type}")
    if schema.names != want.names or schema.metadata != want.metadata:
        raise ReleaseError(f"{where}: column order or `huggingface` schema metadata differ from the Features")


def compare_tables(loaded: pa.Table, expected: pa.Table, where: str) -> None:
    if loaded.num_rows != expected.num_rows:
        raise ReleaseError(f"{where}: {loaded.num_rows} rows loaded, {expected.num_rows} written")
    for name in expected.column_names:
        if name not in loaded.column_names:
            raise ReleaseError(f"{where}: column {name} is missing after loading")
        a, b = loaded.column(name), expected.column(name)
        if a.type != b.type:
            raise ReleaseError(f"{where}: column {name} loads as {a.type}, written as {b.type}")
        if not a.equals(b):
            diff = pc.not_equal(a, b) if not pa.types.is_nested(b.type) else None
            first = "" if diff is None else f" (first at row {pc.index(diff, True).as_py()})"
            raise ReleaseError(f"{where}: column {name} differs after loading{first}")
    extra = set(loaded.column_names) - set(expected.column_names)
    if extra:
        raise ReleaseError(f"{where}: unexpected columns {sorted(extra)} after loading")


def check_written(path: Path, table: pa.Table, features: Features, where: str) -> None:
    """A file as written by the build: read it back and compare with the table meant."""
    on_disk = pq.read_table(path)
    compare_tables(on_disk, table, where)
    check_class_ids(on_disk, features, where)


def _load_procs(n_files: int, nbytes: int) -> int | None:
    """Processes for datasets to convert a config's Parquet files (None: in this process)."""
    if n_files < 4 or nbytes < 256 * 2**20:  # starting processes costs more than it saves
        return None
    from .shards import default_workers

    return min(default_workers(), n_files) if default_workers() > 1 else None


def verify_release(
    out_dir: Path,
    features: dict[str, Features],
    result: BuildResult,
    written: dict[str, pa.Table],
    *,
    full: bool,
) -> None:
    """Check the card's configs and Features through datasets' own builder (always), every file
    written by this build (always), and with `full` every config and split via load_dataset."""
    import datasets
    from datasets import DownloadConfig
    from datasets.data_files import DataFilesPatternsDict
    from datasets.load import dataset_module_factory, get_dataset_builder_class
    from datasets.utils.logging import disable_progress_bar, set_verbosity_error

    disable_progress_bar()
    set_verbosity_error()
    expected_configs = sorted(c for c, splits in result.files.items() if splits)

    with tempfile.TemporaryDirectory(prefix="peacetalks-verify-") as cache:
        # What datasets reads from README.md, parsed once by datasets' own loader: what
        # get_dataset_config_names and load_dataset_builder build on (each of those parses the
        # card's YAML again, ~0.1 s apiece with pure-Python YAML, most of a small rebuild).
        module = dataset_module_factory(str(out_dir), cache_dir=cache)
        builder_cls = get_dataset_builder_class(module, dataset_name=out_dir.name)
        found = sorted(builder_cls.builder_configs)
        if found != expected_configs:
            raise ReleaseError(f"{out_dir}/README.md: configs {found}, expected {expected_configs}")
        for config in expected_configs:
            info = (module.dataset_infos or {}).get(config)
            if info is None or info.features != features[config]:
                raise ReleaseError(
                    f"{config}: the features datasets reads from README.md/Parquet differ from "
                    f"the schema's (labels would load as plain integers or columns as null)"
                )
            data_files = builder_cls.builder_configs[config].data_files or {}
            if isinstance(data_files, DataFilesPatternsDict):  # as the builder resolves them
                data_files = data_files.resolve(module.builder_kwargs["base_path"], DownloadConfig())
            files = {s: sorted(str(Path(p).resolve()) for p in fs) for s, fs in data_files.items()}
            want = {s: sorted(str((out_dir / r).resolve()) for r in rels) for s, rels in result.files[config].items()}
            if files != want:
                raise ReleaseError(f"{config}: data files {files} in README.md, expected {want}")
            # datasets drops a malformed `splits` block with a log line only; then split sizes
            # are no longer checked when loading
            sizes = {s: i.num_examples for s, i in (info.splits or {}).items()}
            if sizes != result.rows[config]:
                raise ReleaseError(f"{config}: split sizes {sizes} in README.md, expected {result.rows[config]}")

        schemas = {c: f.arrow_schema for c, f in features.items()}  # computed once, not per file
        for config, splits in result.files.items():  # footers only: cheap for every file
            for split, rels in splits.items():
                for rel in rels:
                    check_schema(pq.read_schema(out_dir / rel), schemas[config], f"{config}/{split} ({rel})")

        for rel, table in sorted(written.items()):
            _, config, name = rel.split("/")
            check_written(out_dir / rel, table, features[config], f"{config}/{name.split('-', 1)[0]} ({rel})")

        if not full:
            return
        for config in expected_configs:
            # What datasets.load_dataset(out_dir, config) does, step by step.
            builder = datasets.load_dataset_builder(str(out_dir), config, cache_dir=cache)
            if builder.info.features != features[config]:
                raise ReleaseError(f"{config}: the features of load_dataset_builder differ from the schema's")
            n_files = sum(len(rels) for rels in result.files[config].values())
            nbytes = sum(result.nbytes[config].values())
            builder.download_and_prepare(num_proc=_load_procs(n_files, nbytes))
            dd = builder.as_dataset()
            if sorted(dd) != sorted(result.files[config]):
                raise ReleaseError(f"{config}: splits {sorted(dd)} loaded, expected {sorted(result.files[config])}")
            for split, rels in result.files[config].items():
                where = f"{config}/{split}"
                ds = dd[split]
                if ds.features != features[config]:
                    raise ReleaseError(f"{where}: features after load_dataset differ from the schema's")
                expected = pa.concat_tables(
                    [written[r] if r in written else pq.read_table(out_dir / r) for r in rels]
                ).replace_schema_metadata(None)
                loaded = ds.data.table.replace_schema_metadata(None)
                compare_tables(loaded, expected, where)
                check_class_ids(loaded, features[config], where)
            del dd
