"""Topics as data: the typed topic model read from TOML, its matchers, and the installed topic files."""
