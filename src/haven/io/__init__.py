"""Importers and exporters for the formats the humanitarian field already uses."""
