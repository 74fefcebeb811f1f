"""The claim checker: a health claim in plain words -> a verdict, its certainty and its evidence."""
