"""Walk every URL pattern the resolver knows and turn each into a concrete path.

The header, canary and XSS tests use this, so a page added anywhere (another part's
``issues/urls/<part>.py``, the API, the admin) is covered without touching the tests. Path
parameters are filled with real objects: each parameter gets a list of candidate values (by
name, by the model an admin URL is about, then generic fallbacks) and the first combination
that resolves back to the same view wins. A pattern no candidate fits is reported, so the
tests fail loudly instead of silently skipping a new page: add a candidate in ``_by_name``.
"""

import io
import itertools
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

from issues.models import Defect

# Query strings tried on every list-like page by the canary crawl (search boxes, suggestions,
# filters, export formats). Names used by DRF, django-filter and our own pages.
SEARCH_PARAMS = ("q", "search", "query", "term", "title", "text")
FORMAT_VALUES = ("csv", "xlsx", "pdf", "json")
# Path parameters that name an export format: every format that resolves is crawled.
FORMAT_PARAMS = frozenset({"format", "fmt"})


@dataclass(frozen=True)
class Endpoint:
    regex: str
    name: str
    callback: Any

    @property
    def model(self) -> type[models.Model] | None:
        """The model an admin URL is about (``admin:issues_defect_change`` -> Defect)."""
        match = re.match(r"admin:(\w+?)_(\w+?)_(\w+)$", self.name)
        if not match:
            return None
        for model in apps.get_models():
            label = (model._meta.app_label, model._meta.model_name)
            if self.name.startswith(f"admin:{label[0]}_{label[1]}_"):
                return model
        return None

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:") or self.regex.startswith("admin/")


def endpoints(
    resolver: URLResolver | None = None, prefix: str = "", ns: str = ""
) -> list[Endpoint]:
    resolver = resolver or get_resolver()
    found: list[Endpoint] = []
    for p in resolver.url_patterns:
        regex = prefix + p.pattern.regex.pattern.lstrip("^")
        if isinstance(p, URLResolver):
            sub_ns = ns + (f"{p.namespace}:" if p.namespace else "")
            found.extend(endpoints(p, regex, sub_ns))
        elif isinstance(p, URLPattern):
            found.append(Endpoint(regex=regex, name=ns + (p.name or ""), callback=p.callback))
    return found


@dataclass
class Objects:
    """The real objects whose ids fill path parameters; ``defect`` is tried first."""

    defect: Defect
    extra: dict[type[models.Model], models.Model] = field(default_factory=dict)

    def instance(self, model: type[models.Model]) -> models.Model | None:
        if model is Defect:
            return self.defect
        if model in self.extra:
            return self.extra[model]
        return model._default_manager.order_by("pk").first()

    def history_id(self) -> int | None:
        entry = self.defect.history.order_by("history_id").first()
        return entry.history_id if entry else None

    def _by_name(self, param: str) -> list[Any]:
        name = param.lower()
        values: list[Any] = []
        if name in FORMAT_PARAMS:
            return list(FORMAT_VALUES)
        if name == "app_label":
            return ["issues", "auth"]
        if name == "content_type_id":
            return [ContentType.objects.get_for_model(Defect).pk]
        if name in {"url", "path"}:
            return ["finnes-ikke/"]
        if name in {"key", "defect_key"}:
            return [self.defect.key]
        if "history" in name:
            values.append(self.history_id())
        if "defect" in name or name in {"pk", "id", "object_id"}:
            values += [self.defect.pk, self.defect.key]
        for model in apps.get_app_config("issues").get_models():
            if model._meta.model_name and model._meta.model_name in name.replace("_", ""):
                obj = self.instance(model)
                if obj is not None:
                    values.append(obj.pk)
                    code = getattr(obj, "code", None)
                    if code:
                        values.append(code)
        if name.startswith("uidb64") or name == "token":
            values.append("x")
        return [v for v in values if v is not None]

    def candidates(self, param: str, endpoint: Endpoint) -> list[Any]:
        values: list[Any] = []
        model = endpoint.model
        if model is not None and param in {"object_id", "id", "_0", "pk"}:
            obj = self.instance(model)
            if obj is not None:
                values.append(obj.pk)
        if param == "_1" and "history" in endpoint.name:
            values.append(self.history_id())
        values += self._by_name(param)
        values += [self.defect.pk, self.defect.key, "1", "nb"]
        unique: list[Any] = []
        for v in values:
            if v is not None and v not in unique:
                unique.append(v)
        return unique


def _resolving_path(endpoint: Endpoint, fmt: str, values: dict[str, Any]) -> str | None:
    path = "/" + fmt % {p: str(v) for p, v in values.items()}
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return path if match.func is endpoint.callback else None


def fill(endpoint: Endpoint, objects: Objects) -> list[str]:
    """Concrete paths that resolve to ``endpoint``'s view: one, or one per export format."""
    fmt, params = normalize(endpoint.regex)[0]
    lists = [objects.candidates(p, endpoint) for p in params]
    for combo in itertools.islice(itertools.product(*lists), 200):
        values = dict(zip(params, combo, strict=True))
        path = _resolving_path(endpoint, fmt, values)
        if path is None:
            continue
        formats = [p for p in params if p in FORMAT_PARAMS]
        if not formats:
            return [path]
        variants = (
            _resolving_path(endpoint, fmt, {**values, **dict.fromkeys(formats, value)})
            for value in FORMAT_VALUES
        )
        return [v for v in variants if v is not None]
    return []


def crawl_paths(objects: Objects) -> tuple[list[tuple[Endpoint, str]], list[Endpoint]]:
    """Every endpoint with its concrete paths, and the endpoints no candidate could fill."""
    filled: list[tuple[Endpoint, str]] = []
    missing: list[Endpoint] = []
    for endpoint in endpoints():
        paths = fill(endpoint, objects)
        if not paths:
            missing.append(endpoint)
        filled += [(endpoint, path) for path in paths]
    return filled, missing


def query_variants(path: str, terms: Sequence[str]) -> Iterator[str]:
    """The path itself, with each search parameter set to each term, and each export format."""
    yield path
    for term in terms:
        for param in SEARCH_PARAMS:
            yield f"{path}?{param}={term}"
    for fmt in FORMAT_VALUES:
        yield f"{path}?format={fmt}"
        yield f"{path}?export={fmt}"


def body_text(content: bytes, content_type: str) -> str:
    """Everything a person could read in a response: text, unzipped XLSX/DOCX, PDF text."""
    parts = [content.decode("utf-8", errors="replace")]
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    if content[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        parts += [page.extract_text() or "" for page in reader.pages]
        parts += [str(reader.metadata or {})]
        parts += [uri for page in reader.pages for uri in pdf_link_targets(page)]
    return "\n".join(parts)


def pdf_link_targets(page: Any) -> list[str]:
    targets: list[str] = []
    for annot in page.get("/Annots") or []:
        action = annot.get_object().get("/A")
        if action is not None and "/URI" in action:
            targets.append(str(action["/URI"]))
    return targets


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


def _dangerous_url(value: str) -> bool:
    # Browsers ignore whitespace and control characters inside the scheme.
    cleaned = re.sub(r"[\s\x00-\x1f]", "", value).lower()
    return cleaned.startswith(("javascript:", "vbscript:", "data:text/html"))


class _UnsafeMarkup(HTMLParser):
    """Finds markup a strict CSP would block, or that an unescaped value would produce."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            kind = (attributes.get("type") or "").lower()
            if kind not in {"application/json", "application/ld+json"}:
                self.problems.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=...> inline style")
            if name in URL_ATTRIBUTES and _dangerous_url(value or ""):
                self.problems.append(f"<{tag} {name}={value!r}>")


def unsafe_markup(html: str) -> list[str]:
    parser = _UnsafeMarkup()
    parser.feed(html)
    parser.close()
    return parser.problems
