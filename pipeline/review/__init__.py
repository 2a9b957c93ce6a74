"""`claims review`: the interactive review loop and the scripted decisions."""
