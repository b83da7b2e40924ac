"""Task type families; each module registers its types with `chatdata.tasks.registry`."""
