from django.urls import path

from .views import outcomes, shared, space, staff

app_name = "prevention"

urlpatterns = [
    path("personnes/<int:pk>/", staff.plan_detail, name="plan"),
    path("personnes/<int:pk>/brouillon/nouveau/", staff.draft_start, name="draft_start"),
    path("personnes/<int:pk>/brouillon/", staff.draft_edit, name="draft_edit"),
    path("personnes/<int:pk>/signer/", staff.draft_sign, name="draft_sign"),
    path("personnes/<int:pk>/retirer/", staff.plan_revoke, name="revoke"),
    path("personnes/<int:pk>/plan.pdf", staff.plan_print, name="plan_pdf"),
    path("personnes/<int:pk>/carte.pdf", staff.card_print, name="card_pdf"),
    path("personnes/<int:pk>/destinataires/nouveau/", staff.recipient_add, name="recipient_add"),
    path("destinataires/<int:pk>/lien/", staff.recipient_link, name="recipient_link"),
    path("destinataires/<int:pk>/retirer/", staff.recipient_withdraw, name="recipient_withdraw"),
    path(
        "destinataires/<int:pk>/nouveau-lien/",
        staff.recipient_new_link,
        name="recipient_new_link",
    ),
    path("destinataires/<int:pk>/copie.pdf", staff.recipient_copy, name="recipient_copy"),
    path("resultats/", outcomes.outcomes, name="outcomes"),
    # A recipient's own link: the token is the key, no account.
    path("l/<str:token>/", shared.shared, name="shared"),
    path("l/<str:token>/crise/", shared.shared_crisis, name="shared_crisis"),
    path("l/<str:token>/avis/", shared.shared_comment, name="shared_comment"),
    # The person's pages, under their personal space link.
    path("espace/<str:token>/", space.space, name="space"),
    path("espace/<str:token>/signer/", space.space_sign, name="space_sign"),
    path("espace/<str:token>/retirer/", space.space_revoke, name="space_revoke"),
    path("espace/<str:token>/a-changer/", space.space_notes, name="space_notes"),
    path(
        "espace/<str:token>/destinataires/<int:pk>/retirer/",
        space.space_withdraw,
        name="space_withdraw",
    ),
    path("espace/<str:token>/plan.pdf", space.space_pdf, name="space_pdf"),
    path("espace/<str:token>/carte.pdf", space.space_card, name="space_card"),
]
