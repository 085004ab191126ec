"""Kinds of safety information an agent's label or evidence can carry, in reading order.

Term pages group an agent's `safety:` items by these kinds; protocol tables mark
rows whose agent has a kind listed in `FLAGGED`; Fundamentals pages turn those
same items into one "Before you start" callout.
"""
from __future__ import annotations

from generator.model import Agent, SafetyItem

KINDS: dict[str, str] = {
    "boxed-warning": "Boxed warning",
    "pregnancy": "Pregnancy and breast-feeding",
    "contraindication": "Who must not use it",
    "limitation-of-use": "Limits of the approved use",
    "serious-adverse-effect": "Serious side effects",
    "interaction": "Interactions with other medicines",
    "monitoring": "Checks while using it",
}
# Kinds a reader must see before starting: they mark protocol rows and reach Fundamentals.
FLAGGED: dict[str, str] = {"boxed-warning": "Boxed warning", "pregnancy": "Pregnancy warning"}

# The groups of readers a topic may be written for (`population`) and a label warning may
# concern (`applies_to`): a womb-cancer or pregnancy warning concerns women. A warning with
# no `applies_to`, or a topic with no `population`, concerns everyone.
GROUPS: dict[str, str] = {"men": "men", "women": "women"}


def applies(item: SafetyItem, population: tuple[str, ...]) -> bool:
    """Whether the warning concerns a reader of a topic written for `population`."""
    return not item.applies_to or not population or bool(set(item.applies_to) & set(population))


def grouped(agent: Agent) -> dict[str, list[SafetyItem]]:
    """The agent's items by kind, kinds in `KINDS` order, empty kinds left out."""
    out: dict[str, list[SafetyItem]] = {k: [] for k in KINDS}
    for item in agent.safety:
        out[item.kind].append(item)
    return {k: v for k, v in out.items() if v}


def flags(agent: Agent) -> list[str]:
    """Marker labels for a protocol row, e.g. ["Boxed warning", "Pregnancy warning"]."""
    kinds = {item.kind for item in agent.safety}
    return [label for kind, label in FLAGGED.items() if kind in kinds]


def flagged_items(agent: Agent) -> list[SafetyItem]:
    return [item for item in agent.safety if item.kind in FLAGGED]
