"""Tools beside the data flow: evaluation against gold files, synthetic graphs for benchmarks."""
