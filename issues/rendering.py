"""Markdown from users to safe HTML: one place, so every page sanitises the same way."""

from functools import lru_cache

import markdown  # type: ignore[import-untyped]
import nh3
from django.utils.safestring import SafeString, mark_safe

# No images (they load from anywhere and have no alt text) and no h1/h2 (the page owns those).
ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "em",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Anything else (javascript:, data:, vbscript:) loses its href.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# nh3 drops these tags together with their content instead of keeping the text.
DROP_WITH_CONTENT = frozenset({"script", "style"})


def render_markdown(text: str) -> SafeString:
    """Render user-written markdown; the result is sanitised HTML, safe to put in a template."""
    if not text:
        return mark_safe("")
    render = _render_memo if len(text) <= MEMO_MAX_CHARS else _render
    return mark_safe(render(text))  # noqa: S308 - sanitised by nh3 in _render


# The same text always renders the same, so a per-process memo cannot go stale. A defect page
# renders every comment: markdown was a quarter of its time (100,000 defects, ~30 comments).
# Long texts (a routine may hold 50,000 characters) are rendered each time, so the memo stays
# within 1,024 x 10,000 characters and their HTML per worker.
MEMO_MAX_CHARS = 10_000


@lru_cache(maxsize=1024)
def _render_memo(text: str) -> str:
    return _render(text)


def _render(text: str) -> str:
    html = markdown.markdown(text, extensions=["fenced_code", "tables", "sane_lists", "nl2br"])
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
