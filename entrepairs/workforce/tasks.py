"""Background tasks of the workforce app (django-tasks)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from entrepairs.accounts.models import Membership
from entrepairs.core.roles import MANAGER_ROLES
from entrepairs.territory.models import Organisation

from .models import Contract
from .models.contracts import ENDING_SOON_DAYS
from .models.peers import organisation_q


def contracts_ending_for(organisation, day=None):
    return (
        Contract.objects.filter(organisation_q(organisation.pk, "peer__"))
        .ending_within(ENDING_SOON_DAYS, day)
        .select_related("peer", "employer")
        .order_by("end", "pk")
    )


@task()
def send_contract_reminders() -> int:
    """Email each organisation's coordinators and directors the contracts ending within 90 days.

    One email per organisation that has such contracts; returns the number of emails sent.
    """
    today = timezone.localdate()
    sent = 0
    org_ids = (
        Contract.objects.ending_within(ENDING_SOON_DAYS, today)
        .values_list("peer__employer_id", "peer__host_organisation_id")
        .distinct()
    )
    ids = {pk for pair in org_ids for pk in pair if pk}
    for organisation in Organisation.objects.filter(pk__in=ids).order_by("pk"):
        contracts = list(contracts_ending_for(organisation, today))
        recipients = sorted(
            Membership.objects.active()
            .filter(organisation=organisation, role__in=MANAGER_ROLES, user__is_active=True)
            .values_list("user__email", flat=True)
            .distinct()
        )
        if not contracts or not recipients:
            continue
        context = {"organisation": organisation, "contracts": contracts, "days": ENDING_SOON_DAYS}
        send_mail(
            subject=f"Entre Pairs – {len(contracts)} contrat(s) de pair-aidant·e se terminent "
            f"dans les {ENDING_SOON_DAYS} jours",
            message=render_to_string("workforce/email/contract_reminder.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
        sent += 1
    return sent
