"""Background tasks of the evaluation app (django-tasks)."""

from django_tasks import task


@task()
def flush_anonymous_answers() -> None:
    """Write the batches of anonymous answers that are due (see ``pool.py``).

    It takes no argument and returns nothing, so that its result row says nothing about any
    answer or invitation.
    """
    from .pool import flush_due_batches

    flush_due_batches()
