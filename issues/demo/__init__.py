"""Deterministic demo data for ``manage.py seed_demo``: the same seed gives the same rows.

``seed.py`` loads it (``load_demo``); ``users.py`` the demo logins; ``schedule.py`` releases and
meetings; ``defects.py`` draws a defect; ``activity.py`` what happens around it (status changes,
"affects us too", duplicates, followers, comments); ``writer.py`` writes the rows in bulk (COPY
on PostgreSQL); ``distributions.py`` holds every weight and probability; ``text.py`` the texts.
"""
