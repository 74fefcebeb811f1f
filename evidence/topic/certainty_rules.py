"""What a topic counts as direct evidence, for the certainty grade: its ``[certainty]`` section as data.

It lives with the topic, not with the grading (``evidence.synthesize.certainty``), because it is
topic knowledge: which populations are specific to the condition, which outcomes are surrogates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

@dataclass(frozen=True)
class CertaintyRules:
    """What a topic counts as direct evidence (its ``[certainty]`` section). Built by
    :attr:`evidence.topic.model.Topic.certainty_rules`: there are no defaults, so no grade
    assumes a topic.

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
    blinded_controls:
        Comparator classes that keep participants and assessors blind (``blinded_control = true``
        on ``[vocab.comparator.<class>]``, e.g. sham); evidence mostly against other classes is
        rated down for risk of bias.
    """

    intervention: str
    condition: str
    population: re.Pattern
    surrogates: tuple[str, ...] = ()
    blinded_controls: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A text that differs whenever the rules differ (for cache keys)."""
        return (f"{self.intervention}|{self.condition}|{self.population.pattern}|{','.join(self.surrogates)}"
                f"|{','.join(self.blinded_controls)}")

