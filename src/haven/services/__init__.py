"""Use cases built on the store and the importers: what the CLI and the web call."""
