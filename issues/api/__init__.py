"""The REST API (/api/v1/): the same selectors, services and permissions as the pages."""
