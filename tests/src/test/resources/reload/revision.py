# Imported by logic.py: a reload must pick up this module's new text too.
SUFFIX = "@SUFFIX@"
