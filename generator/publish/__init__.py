"""The spec as a product for other languages: bundles, releases, breaking changes, rendered docs."""
