"""Background tasks of the evaluation app (django-tasks)."""

from django_tasks import task


class FlushFailed(RuntimeError):
    """Writing the batches failed. Says only the kind of error: a database message can quote
    the row it refused, answers included, and the task result keeps the traceback."""


@task()
def flush_anonymous_answers() -> None:
    """Write the batches of anonymous answers that are due (see ``pool.py``).

    It takes no argument and returns nothing, so that its result row says nothing about any
    answer or invitation, even when it fails.
    """
    from .pool import flush_due_batches

    try:
        flush_due_batches()
    except Exception as exc:  # noqa: BLE001 re-raised without its message, on purpose
        raise FlushFailed(f"écriture des lots impossible ({type(exc).__name__})") from None
