"""The project as the legal team writes it: YAML read with every position kept, checked and
converted into the model; settings, the project's layout, new versions, schemas for editors."""
