"""Forms of the campaign pages, split by area like the views."""
