"""What users read: the report and its pages, figures, citations and the claim checker."""
