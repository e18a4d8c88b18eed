"""Tokens never reach a log: ``redact_tokens`` and the logging filter that applies it.

A link token is a key (to a questionnaire, to a person's space, to a password reset) and the
database keeps only its hash. Written in a log line with its time, a raw token would both open
the door and tell when the invitation was used. So every address that holds one is rewritten,
in the path, in a query parameter, in a ``next=`` (percent-encoded) or in a Referer, before any
handler sees the record: the filter sits on the loggers that write addresses (settings
``LOGGING``: ``django.request``, ``django.server``, ``django.security.csrf``; gunicorn through
``gunicorn.conf.py``), and ``log_access`` stores ``AccessEvent.path`` redacted too.
"""

import logging
import re

REDACTED = "[jeton]"

_SEP = r"(?:/|%2F)"
# One path segment, raw or percent-encoded (but never an encoded slash).
_SEGMENT = r"(?:[^/?#&\s\"'%]|%(?!2F)[0-9A-Fa-f]{2})+"

_TOKEN_PATHS = [
    # /evaluation/r/<token>/ and /evaluation/r/<token>/qr.svg (but not /evaluation/r/merci/)
    re.compile(rf"({_SEP}evaluation{_SEP}r{_SEP})(?!merci(?:{_SEP}|[?#\s\"'&]|$)){_SEGMENT}", re.I),
    # /evaluation/mon-espace/<token>/...
    re.compile(rf"({_SEP}evaluation{_SEP}mon-espace{_SEP}){_SEGMENT}", re.I),
    # /plan-prevention/l/<token>/... (a recipient's link) and /plan-prevention/espace/<token>/...
    re.compile(rf"({_SEP}plan-prevention{_SEP}(?:l|espace){_SEP}){_SEGMENT}", re.I),
    # /compte/mot-de-passe/<uidb64>/<token>/ (and its /set-password/ step)
    re.compile(
        rf"({_SEP}compte{_SEP}mot-de-passe{_SEP})(?!(?:envoye|termine)(?:{_SEP}|[?#\s\"'&]|$))"
        rf"{_SEGMENT}({_SEP}){_SEGMENT}",
        re.I,
    ),
]
_TOKEN_PARAMS = re.compile(r"((?:^|[?&;\s\"'])(?:token|jeton)=)[^&#\s\"']+", re.I)


def redact_tokens(text: str) -> str:
    """``text`` with every link token replaced by ``[jeton]``."""
    if not text:
        return text
    for pattern in _TOKEN_PATHS:
        if pattern.groups == 2:
            text = pattern.sub(lambda m: f"{m.group(1)}{REDACTED}{m.group(2)}{REDACTED}", text)
        else:
            text = pattern.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
    return _TOKEN_PARAMS.sub(lambda m: f"{m.group(1)}{REDACTED}", text)


class RedactTokensFilter(logging.Filter):
    """Rewrite a record so that no token is left in its message, its arguments or the
    request it carries. Put on a logger, it acts before every handler, including those an
    operator adds later (files, syslog, JSON, e-mail)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 a malformed record is the logging module's business
            return True
        redacted = redact_tokens(message)
        if redacted != message or _holds_token(record.args):
            record.msg, record.args = redacted, ()
        request = getattr(record, "request", None)
        path = getattr(request, "get_full_path", None)
        if callable(path) and redact_tokens(path()) != path():
            # The request would give the token again (error e-mails, JSON formatters).
            record.request = None
        return True


def _holds_token(args) -> bool:
    values = args.values() if isinstance(args, dict) else (args or ())
    return any(isinstance(v, str) and redact_tokens(v) != v for v in values)
