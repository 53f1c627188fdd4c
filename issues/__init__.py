"""The defect domain of BOTT Tracker: where each kind of code lives.

One axis: **a package per layer, a module per feature inside it.** To find "attachments", open
``services/attachments.py`` (the writes and the upload check), ``selectors/attachments.py`` (the
reads), ``views/attachments.py`` (the pages), ``urls/attachments.py`` and, for the REST API,
``api/views/children.py``. The features are: defects, reporting, attachments, participation
("gjelder oss også" and following), comments, triage (queue, bulk, saved filters), merge, meeting,
dashboard, exports, digests, releases, api_tokens, audit, feide (log in with Feide), imports and
dfo_answers (spreadsheets in), confirmations and fixes (each university confirms a fix),
routines (rutiner), deadlines, preferences and summaries (notifications people control), outbox
(status mail), held_uploads (attachments kept across a refused form).

Layers, outermost first:

``urls/``, ``views/``, ``forms/``, ``templatetags/`` (templates in ``templates/issues/``)
    Server-rendered pages. Views are thin: parse input with a form, call a selector or a
    service, render. Domain errors become responses in one place (``views/errors.py``).
``api/``
    The REST API under ``/api/v1/`` (DRF): ``views/``, ``serializers/``, ``pagination.py``,
    ``permissions.py`` (DRF classes that ask ``issues.permissions``), ``errors.py`` (the one
    exception handler), authentication and throttling.
``admin/``
    The Django admin, a module per feature; writes go through the services.
``services/``
    Every write: typed, keyword-only functions that check permissions, validate, write inside a
    transaction and return the object (``defect_create``, ``defect_transition``,
    ``defect_merge`` ...). Tasks are queued with ``transaction.on_commit``.
``selectors/``
    Every read that is more than a ``.get()``; each starts from what the user may see.
``models/``
    The tables, a module per concept. Reference data (institutions, areas, categories, systems)
    is data, loaded by a migration and edited in the admin.

Shared by every layer, one module each:

``permissions.py``  who may see and change what; every view, API endpoint and export asks it.
``workflow.py``     the defect life cycle: allowed transitions per role, status groups.
``vocabulary.py``   a defect's editable fields per role, numeric limits and choices, written once.
``filters.py``      the one ``DefectFilter`` behind the queue, the known-defects page, API, exports.
``search.py``       list search: full text + trigram on PostgreSQL, FTS5 on SQLite
                    (``search_sqlite.py``), both over the same Norwegian stems (``textmatch.py``).
``suggest.py``      ranking the known defects a new report probably duplicates.
``personal_data.py`` detecting and masking national identity and account numbers (pure).
``text.py``         text hygiene: control characters out, line ends unified, NFC (pure).
``hygiene.py``      the one boundary every stored text passes (a ``pre_save`` receiver): ``text.py``
                    on every text field, masking on those in its registry of masked fields.
``errors.py``       domain exceptions raised by services.
``exports.py``      CSV / XLSX / PDF writers and the one cell-cleaning helper (pure).
``exports_sql.py``  the CSV export streamed by PostgreSQL's COPY, byte for byte the same file.
``locks.py``        the advisory lock that makes a digest or summary go out once.
``filter_display.py`` the one filter component's context: chips, "Alle", the result count.
``formatting.py``   Norwegian numbers (decimal comma, thin-space thousands) and sizes.
``navigation.py``   the header's grouped navigation (a context processor).
``digests.py``      building an escalation digest's content (pure: data in, content out).
``rendering.py``    user markdown to sanitised HTML.
``tasks.py``        thin Celery tasks: take ids, call a service.
``throttle.py``     the login throttle (an authentication backend).
``oidc.py``         the OpenID Connect client for Feide login (Authlib) and its session backend.
``signals.py``      signal receivers (logins to the audit log).
``demo/``           deterministic demo data for ``manage.py seed_demo``.

The three-tier priority rule itself lives outside this app, in ``priorities/`` (pure functions,
no ORM), and ``tests/`` mirrors this layout.
"""
