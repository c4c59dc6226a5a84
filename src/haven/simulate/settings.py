"""Flee's simulation settings (``simsetting.yml``), with flee 3.1's defaults.

Every field carries the default that flee 3.1's ``SimulationSettings.ReadFromYML`` uses when the
key (or the whole file) is missing, so ``Settings()`` is "flee 3.1 with no settings file".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from haven.errors import InputError

SQRT_TEN = 3.16227766017  # the constant flee uses for the default conflict weight

# Rules of flee 3.1 that Haven does not implement: refused when switched on, never silently ignored.
UNSUPPORTED = {
    ("spawn_rules", "flood_zone_spawning_only"): "flood-driven spawning",
    ("spawn_rules", "read_from_agents_csv_file"): "agents.csv",
    ("spawn_rules", "camps_are_sicks"): "camps as sinks",
    ("move_rules", "stay_close_to_home"): "stay_close_to_home",
    ("move_rules", "ChildrenAvoidHazards"): "demographic rules",
    ("move_rules", "BoysTakeRisk"): "demographic rules",
    ("move_rules", "MatchCampEthnicity"): "demographic rules",
    ("move_rules", "MatchTownEthnicity"): "demographic rules",
    ("move_rules", "MatchConflictEthnicity"): "demographic rules",
}


@dataclass(frozen=True)
class Settings:
    """Spawn and move rules. Field names follow the YAML keys of ``simsetting.yml``."""

    # spawn_rules
    take_from_population: bool = False
    insert_day0: bool = True
    conflict_zone_spawning_only: bool = True
    conflict_driven_spawning: bool = False
    spawn_mode: str = "constant"  # constant, pop_ratio or poisson (conflict-driven spawning only)
    displaced_per_conflict_day: float = 500.0
    conflict_spawn_decay: tuple[float, ...] | None = None
    # move_rules
    max_move_speed: float = 360.0
    max_walk_speed: float = 35.0
    max_crossing_speed: float = 20.0
    foreign_weight: float = 1.0
    camp_weight: float = 1.0
    conflict_weight: float = 1.0 / SQRT_TEN
    conflict_movechance: float = 1.0
    camp_movechance: float = 0.001
    idpcamp_movechance: float = 0.1
    default_movechance: float = 0.3
    awareness_level: int = 1
    capacity_buffer: float = 0.9
    avoid_short_stints: bool = False
    start_on_foot: bool = False
    softening: float = 10.0
    weight_softening: float = 0.0
    weight_power: float = 1.0
    distance_power: float = 1.0
    use_pop_for_loc_weight: bool = False
    pop_power_for_loc_weight: float = 0.1
    movechance_pop_base: float = 10000.0
    movechance_pop_scale_factor: float = 0.0
    # optimisations
    hasten: int = 1

    def decay(self, days_since_conflict: int) -> float:
        """flee's ``get_conflict_decay``: one factor per 30 days, the last one held."""
        if not self.conflict_spawn_decay:
            return 1.0
        index = min(int(days_since_conflict / 30), len(self.conflict_spawn_decay) - 1)
        return float(self.conflict_spawn_decay[index])


_MOVE_KEYS = (
    "max_move_speed",
    "max_walk_speed",
    "max_crossing_speed",
    "foreign_weight",
    "camp_weight",
    "conflict_weight",
    "conflict_movechance",
    "camp_movechance",
    "idpcamp_movechance",
    "default_movechance",
    "awareness_level",
    "capacity_buffer",
    "avoid_short_stints",
    "start_on_foot",
    "softening",
    "weight_softening",
    "weight_power",
    "distance_power",
    "use_pop_for_loc_weight",
    "pop_power_for_loc_weight",
    "movechance_pop_base",
    "movechance_pop_scale_factor",
)
_FLOAT_FIELDS = {f.name for f in fields(Settings) if f.type == "float"}
_BOOL_FIELDS = {f.name for f in fields(Settings) if f.type == "bool"}


def _section(data: dict[str, Any], name: str, path: str) -> dict[str, Any]:
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(path, f"{name} must be a mapping of settings", column=name, value=str(value))
    return value


def _convert(name: str, value: Any, path: str, where: str) -> Any:
    if name in _BOOL_FIELDS:
        if isinstance(value, bool):
            return value
        raise InputError(path, "not true or false", column=where, value=str(value), expected="true or false")
    if name in _FLOAT_FIELDS:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        raise InputError(path, "not a number", column=where, value=str(value), expected="a number")
    if name in ("awareness_level", "hasten"):
        if isinstance(value, int) and not isinstance(value, bool) and value >= (0 if name != "hasten" else 1):
            return value
        raise InputError(
            path,
            "not a whole number",
            column=where,
            value=str(value),
            expected="a whole number of at least " + ("0" if name != "hasten" else "1"),
        )
    return value


def settings_from_mapping(data: dict[str, Any], path: str = "<settings>") -> Settings:
    """Build :class:`Settings` from a parsed ``simsetting.yml``; unknown keys are ignored as flee does."""
    spawn = _section(data, "spawn_rules", path)
    move = _section(data, "move_rules", path)
    optimisations = _section(data, "optimisations", path)
    for (section, key), what in UNSUPPORTED.items():
        source = spawn if section == "spawn_rules" else move
        if source.get(key):
            raise InputError(
                path,
                f"Haven's simulator does not implement {what}",
                column=f"{section}.{key}",
                value=str(source[key]),
                expected="false or absent",
            )
    if data.get("flood_rules") is not None:
        raise InputError(path, "Haven's simulator does not implement flood rules", column="flood_rules")
    values: dict[str, Any] = {}
    for key in ("take_from_population", "insert_day0", "conflict_zone_spawning_only"):
        if spawn.get(key) is not None:
            values[key] = _convert(key, spawn[key], path, f"spawn_rules.{key}")
    driven = spawn.get("conflict_driven_spawning")
    if driven is not None:
        if not isinstance(driven, dict):
            raise InputError(
                path,
                "must be a mapping",
                column="spawn_rules.conflict_driven_spawning",
                value=str(driven),
                expected="spawn_mode and displaced_per_conflict_day",
            )
        mode = str(driven.get("spawn_mode", "constant"))
        if mode.lower() not in ("constant", "pop_ratio", "poisson"):
            raise InputError(
                path,
                "unknown spawn mode",
                column="spawn_rules.conflict_driven_spawning.spawn_mode",
                value=mode,
                expected="constant, pop_ratio or Poisson",
            )
        default = 0.01 if mode == "pop_ratio" else 500
        amount = driven.get("displaced_per_conflict_day", default)
        values.update(
            conflict_driven_spawning=True,
            spawn_mode=mode.lower(),
            displaced_per_conflict_day=_convert(
                "max_move_speed",
                amount,
                path,
                "spawn_rules.conflict_driven_spawning.displaced_per_conflict_day",
            ),
        )
    decay = spawn.get("conflict_spawn_decay")
    if decay is not None:
        items = list(decay.values()) if isinstance(decay, dict) else decay
        if not isinstance(items, list) or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in items
        ):
            raise InputError(
                path,
                "not a list of numbers",
                column="spawn_rules.conflict_spawn_decay",
                value=str(decay),
                expected="a list of decay factors, one per 30 days",
            )
        values["conflict_spawn_decay"] = tuple(float(x) for x in items) or None
    for key, value in move.items():
        if key in _MOVE_KEYS and value is not None:
            values[key] = _convert(key, value, path, f"move_rules.{key}")
    if optimisations.get("hasten") is not None:
        values["hasten"] = _convert("hasten", optimisations["hasten"], path, "optimisations.hasten")
    settings = Settings(**values)
    if move.get("use_v1_rules"):
        settings = replace(
            settings,
            max_move_speed=200.0,
            start_on_foot=False,
            avoid_short_stints=False,
            camp_weight=2.0,
            conflict_weight=0.25,
        )
    return settings


def read_settings(path: str | Path) -> Settings:
    """Read a ``simsetting.yml``; raise :class:`InputError` for anything malformed."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(name, f"not UTF-8 text ({exc.reason})") from None
    return settings_from_mapping(_load_yaml(text, name), name)


class _StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice (YAML itself keeps the last silently)."""


def _mapping_without_repeats(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"{key!r} is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats)


def _load_yaml(text: str, name: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        row = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(name, f"not valid YAML: {exc.problem}", row=row) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(name, "the settings file must be a mapping of names to values", row=1)
    return data
