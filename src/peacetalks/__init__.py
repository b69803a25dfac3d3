"""peacetalks: raw news → cleaned documents → Label Studio annotations → validated HF dataset."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("peacetalks")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0+unknown"
