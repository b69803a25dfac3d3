"""CLI commands, one module per stage. Each module exports COMMANDS, a list of click commands."""
