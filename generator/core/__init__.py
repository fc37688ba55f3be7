"""The model and what is computed from it alone: diagnostics, languages, the model, the safe
Markdown subset, the diff and its tokens, the canonical documents. No files, no clock."""
