"""From the tables to answers: effect sizes, pooling, comparisons, certainty and the indirect panel."""
