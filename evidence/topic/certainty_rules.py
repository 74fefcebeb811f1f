"""What a topic counts as direct evidence, for the certainty grade: its ``[certainty]`` section as data.

It lives with the topic, not with the grading (``evidence.synthesize.certainty``), because it is
topic knowledge: which populations are specific to the condition, which outcomes are surrogates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SURROGATE_OUTCOMES = ("effective_rate", "cure_rate", "total_effective_rate", "markedly_effective_rate")
_SCIATICA_POPULATION = re.compile(
    r"sciatic|radicul|disc herniation|disk herniation|herniated|prolapsed disc|piriformis|nerve root|leg pain",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CertaintyRules:
    """What a topic counts as direct evidence (its ``[certainty]`` section); the defaults are the first topic's.

    Attributes
    ----------
    intervention:
        The intervention as a sentence names it.
    condition:
        The condition in a sentence ("sciatica").
    population:
        A study's population text matching this is specific to the condition.
    surrogates:
        Outcome codes that are surrogates (investigator-judged), rated down for indirectness.
    """

    intervention: str = "acupuncture"
    condition: str = "sciatica"
    population: re.Pattern = _SCIATICA_POPULATION
    surrogates: tuple[str, ...] = SURROGATE_OUTCOMES

    @property
    def key(self) -> str:
        """A text that differs whenever the rules differ (for cache keys)."""
        return f"{self.intervention}|{self.condition}|{self.population.pattern}|{','.join(self.surrogates)}"


FIRST_TOPIC_RULES = CertaintyRules()
