"""Library exceptions. The CLI maps every one of them to a clean one-line error (exit 1)."""


class PeacetalksError(Exception):
    """Base of every error a user can act on; the message names the file/document/span and why."""


class RejectedInput(PeacetalksError):
    """An input file or record was refused; ``reason`` is a short stable string tests assert on."""

    def __init__(self, where: str, reason: str, detail: str = ""):
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}" + (f" ({detail})" if detail else ""))


class SchemaError(PeacetalksError):
    """schema/ is invalid, or data uses a label the schema does not know."""


class LabelStudioError(PeacetalksError):
    """Label Studio could not be set up, reached, or returned something we refuse to store."""


class ValidationFailed(PeacetalksError):
    """Validation found errors."""


class ReleaseError(PeacetalksError):
    """A release could not be built, verified or published."""
