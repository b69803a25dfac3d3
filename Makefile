# The README's two commands. Each installs what it needs first (scripts/setup is idempotent).
.PHONY: release test setup benchmarks

export HF_HUB_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export GX_ANALYTICS_ENABLED := false

# (1) build the dataset release from what is in the repository, validate and verify it.
release:
	bash scripts/setup
	.venv/bin/peacetalks run release

# (2) the whole test suite, Label Studio and the browser included, then validate the repo's data.
test:
	bash scripts/setup --test
	.venv/bin/python -m pytest -p no:cacheprovider
	.venv/bin/peacetalks validate

benchmarks:
	bash scripts/setup --test
	.venv/bin/python -m benchmarks
