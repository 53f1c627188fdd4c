"""A real OpenID provider process for the Feide login tests and for trying the login locally.

``python -m tests.oidc_provider --users tests/oidc_provider/dev_users.json --port 9000`` runs it;
it prints ``listening <issuer>`` once it accepts connections. Built on the standard library's
HTTP server with Authlib's JOSE library (joserfc) for keys and signatures, so that a test can
shape what "Feide" answers (see ``state.py``) without the app under test knowing.
"""
