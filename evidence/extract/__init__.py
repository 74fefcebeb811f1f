"""From a record's text to facts: sentences and numbers, study design, PICO, sample size, effects and result direction."""
