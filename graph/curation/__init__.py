"""The curators' corrections: the curation file, its records, and applying them to an extraction."""
