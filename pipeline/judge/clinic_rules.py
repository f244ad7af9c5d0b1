"""A practice's clinic sentiment rules: its TOML file read, checked, and merged over the default set.

A practice's file (setting `sentiment_rules`) is merged over the defaults:

    use_defaults = true                 # false: start from an empty set
    symptoms = ["tinnitus", "vertigo"]  # added to the symptom vocabulary

    [lexicon]                           # word = valence; 0 makes a word neutral
    infusion = 0.0
    "money-minded" = -1.5

    [[phrases]]                         # a new rule (tried before the defaults)...
    pattern = "spravato\\s+works"
    valence = 2.0

    [[phrases]]                         # ...or a default changed or switched off by its name
    name = "side_effects"
    valence = -0.3                      # or: enabled = false

Phrase rules and their valences are described in `pipeline.judge.clinic_lexicon`, which holds the default set.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.judge.clinic_lexicon import SYMPTOM, ClinicRules, PhraseRule, default_rules


def load_clinic_rules(path: str | Path | None) -> ClinicRules:
    """The default set, with the practice's TOML file (if any) merged over it."""
    if not path:
        return default_rules()
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"sentiment_rules: cannot read {path}: {exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"sentiment_rules: {path} is not valid TOML: {exc}") from exc
    return merge_rules(default_rules(), doc, str(path))


def merge_rules(base: ClinicRules, doc: dict[str, Any], origin: str = "sentiment rules") -> ClinicRules:
    """Merge a parsed rules document (lexicon, symptoms, phrases, use_defaults) over `base`."""
    unknown = sorted(set(doc) - {"lexicon", "symptoms", "phrases", "use_defaults"})
    if unknown:
        raise ConfigError(f"{origin}: unknown key(s) {', '.join(unknown)}; expected lexicon, symptoms, phrases")
    if not isinstance(doc.get("use_defaults", True), bool):
        raise ConfigError(f"{origin}: use_defaults must be true or false")
    if not isinstance(doc.get("lexicon", {}), dict) or not isinstance(doc.get("phrases", []), list):
        raise ConfigError(f"{origin}: expected a [lexicon] table and [[phrases]] entries")
    if not doc.get("use_defaults", True):
        base = ClinicRules()
    lexicon = dict(base.lexicon)
    for word, valence in doc.get("lexicon", {}).items():
        if not word.strip() or len(word.split()) > 1:
            raise ConfigError(f"{origin}: [lexicon] {word!r}: one word per entry; use [[phrases]] for several")
        lexicon[word.strip().lower()] = _valence(valence, f"{origin}: [lexicon] {word}")
    symptoms = base.symptoms + tuple(_words(doc.get("symptoms", []), f"{origin}: symptoms"))
    phrases = list(base.phrases)
    added = []
    for i, item in enumerate(doc.get("phrases", [])):
        rule = _phrase(item, f"{origin}: phrases[{i}]", {r.name: r for r in phrases})
        slot = next((j for j, r in enumerate(phrases) if r.name == rule.name), None)
        if slot is None:
            added.append(rule)
        else:
            phrases[slot] = rule
    return ClinicRules(lexicon, tuple(added + phrases), symptoms)


def _phrase(item: Any, where: str, known: dict[str, PhraseRule]) -> PhraseRule:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected a table with pattern and valence")
    unknown = sorted(set(item) - {"name", "pattern", "valence", "enabled"})
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    name = str(item.get("name") or f"custom_{item.get('pattern', '')}")
    old = known.get(name)
    if old is None and ("pattern" not in item or "valence" not in item):
        raise ConfigError(f"{where}: a new rule needs pattern and valence (or the name of a default rule)")
    rule = old or PhraseRule(name, "", 0.0)
    changes: dict[str, Any] = {}
    if "pattern" in item:
        changes["pattern"] = check_pattern(str(item["pattern"]), where)
    if "valence" in item:
        changes["valence"] = _valence(item["valence"], where)
    if "enabled" in item:
        changes["enabled"] = bool(item["enabled"])
    return replace(rule, **changes)


def check_pattern(pattern: str, where: str) -> str:
    """The pattern, if it compiles (with `{symptom}` filled in), is in lower case and has no named groups."""
    if re.search(r"(?<!\\)[A-Z]", pattern.replace("\\\\", "").replace("(?P", "(?")):
        raise ConfigError(f"{where}: pattern {pattern!r} has capital letters; it is matched against lower-cased text")
    try:
        compiled = re.compile(pattern.replace(SYMPTOM, "x"))
    except re.error as exc:
        raise ConfigError(f"{where}: pattern {pattern!r} is not a valid regex: {exc}") from exc
    if compiled.groupindex:
        raise ConfigError(f"{where}: pattern {pattern!r} uses named groups; use (?:...) instead")
    if compiled.match(""):
        raise ConfigError(f"{where}: pattern {pattern!r} matches empty text")
    return pattern


def _valence(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -4.0 <= value <= 4.0:
        raise ConfigError(f"{where}: valence must be a number from -4 to 4 (VADER's scale), got {value!r}")
    return float(value)


def _words(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ConfigError(f"{where}: expected a list of words")
    return [w.strip().lower() for w in value]
