"""The campaign app's pages, split by area; each view fetches its objects
through campaign.access (via views.common.load) and changes them only
through the services."""
