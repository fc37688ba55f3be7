"""What a valid policy may still get wrong: lint warnings, translations that fall behind,
compliance checklists, the status of every version."""
