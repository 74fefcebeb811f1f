"""Getting records in: E-utilities and fetch, record sources, the PubMed XML and MEDLINE readers, and the store."""
