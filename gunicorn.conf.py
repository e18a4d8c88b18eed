"""Gunicorn settings read from the project's root (gunicorn looks for ./gunicorn.conf.py).

Access and error lines go through the same token filter as Django's loggers, so that no link
token (questionnaire, personal space, password reset) is written in a log, neither in the
request line, nor in a query parameter, nor in the Referer. See entrepairs/core/redaction.py.
"""

from gunicorn.glogging import Logger


class RedactingLogger(Logger):
    """Gunicorn's logger, with the token filter on its access and error loggers."""

    def setup(self, cfg):
        super().setup(cfg)
        from entrepairs.core.redaction import RedactTokensFilter

        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactTokensFilter) for f in log.filters):
                log.addFilter(RedactTokensFilter())


logger_class = RedactingLogger
