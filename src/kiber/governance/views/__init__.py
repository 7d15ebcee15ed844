"""Pages of the governance records. Reads through ``selectors`` (scoped), writes through ``services``."""
