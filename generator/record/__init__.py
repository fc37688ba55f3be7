"""The published record: the lock as data and the files that keep it (policy.lock, published/)."""
