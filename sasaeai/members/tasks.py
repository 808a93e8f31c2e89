"""Background work of members, run by ``sasaeai worker``."""

from django_tasks import task


@task()
def remind_unpaid_dues_task(prefecture: str, fiscal_year: int) -> int:
    """Send the day's reminders for unpaid dues (at most one a member a day)."""
    from .dues import remind_unpaid_dues

    return remind_unpaid_dues(prefecture=prefecture, fiscal_year=fiscal_year)
