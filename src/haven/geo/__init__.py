"""Geography: coordinate systems, zones, what lies inside them, distance profiles."""

from haven.geo.gazetteer import Candidate, Gazetteer, Resolution, Status

__all__ = ["Candidate", "Gazetteer", "Resolution", "Status"]
