"""What a figure is about: its measure and who states it."""
