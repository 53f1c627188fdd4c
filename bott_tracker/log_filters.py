"""Personal data out of every log line: the application's logs and gunicorn's access log.

Log files are kept longer and read by more people than the database; a failed login with a
national ID as the username, or a search for one, must not put it there.
"""

import logging
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

from issues.personal_data import mask, mask_url


class MaskPersonalData(logging.Filter):
    """On a handler: masks the formatted message (arguments included) and any traceback text.

    The message is formatted here, once, because an argument may be any object (a request, an
    exception) whose ``str()`` holds the number; the record then carries no arguments.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = mask_url(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


class MaskingGunicornLogger(GunicornLogger):
    """gunicorn's logger with the request line, path, query string and referrer masked."""

    URL_ATOMS = ("r", "U", "q", "f")

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in self.URL_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = mask_url(atoms[key])
        return atoms
