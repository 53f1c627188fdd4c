"""Small readers for what the tests get back: streamed responses and received e-mail."""

from email.message import EmailMessage
from typing import Any


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body((subtype,))
    assert part is not None, f"no text/{subtype} part"
    return str(part.get_content())


def attachment_names(message: EmailMessage) -> list[str]:
    return [str(p.get_filename()) for p in message.iter_attachments() if p.get_filename()]
