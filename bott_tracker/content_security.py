"""The Content-Security-Policy (django-csp) every response carries.

Every response carries a Content-Security-Policy. Scripts and styles only from our own origin:
no inline <script>, no inline event handlers, no style="" attributes. Designsystemet's CSS
draws its icons as data: SVG images, hence img-src data:.

Each of the two vendored elements behind Designsystemet's Suggestion (static/js/vendor/README.md)
puts one constant <style> into its shadow root. Allowing exactly those by hash keeps style-src
free of 'unsafe-inline'; tests/e2e/test_csp.py fails if a new version's style differs.
"""

from csp.constants import NONE, SELF

U_ELEMENTS_STYLE_HASHES = [
    "'sha256-KWJQNJFJY2Wl9jF/37oM8LRHyPXZ3m+AfRrCu8FxlhU='",  # u-combobox 1.0.7
    "'sha256-LpUhsCFQKQIR2XEKJIsp9hxpopgoiGar5Lo3GRoFWRA='",  # u-datalist 1.0.14
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, *U_ELEMENTS_STYLE_HASHES],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
