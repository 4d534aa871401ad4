"""The language layer under extraction: the spaCy pipeline and the gazetteers it is fed from."""
