"""Analyses over the store: flows, reconciliation, series, needs, cold risk, aid access."""
