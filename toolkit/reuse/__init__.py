"""What only makes builds faster: caches and what the preview keeps between rebuilds.
Deleting every cache changes nothing but time."""
