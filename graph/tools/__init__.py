"""Tools beside the data flow: evaluation against gold files, SHACL validation of the store, synthetic graphs."""
