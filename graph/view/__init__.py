"""Looking at a built graph: networkx analytics, the interactive page, plots."""
