from django.urls import path

from . import invitations, oidc, team, views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("connexion/code/", views.otp_verify, name="otp_verify"),
    path("connexion/activer-code/", views.otp_setup, name="otp_setup"),
    path("deconnexion/", oidc.logout_view, name="logout"),
    # ProConnect (OpenID Connect), 404 unless configured: see accounts/oidc.py
    path("connexion/proconnect/", oidc.proconnect_login, name="proconnect_login"),
    path("connexion/proconnect/retour/", oidc.proconnect_callback, name="proconnect_callback"),
    path(
        "deconnexion/proconnect/retour/",
        oidc.proconnect_logout_done,
        name="proconnect_logout_done",
    ),
    path("organisation/", views.switch_organisation, name="switch_organisation"),
    path("mot-de-passe/", views.password_reset, name="password_reset"),
    path("mot-de-passe/envoye/", views.password_reset_done, name="password_reset_done"),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("mot-de-passe/termine/", views.password_reset_complete, name="password_reset_complete"),
    # The invited person answers their invitations
    path("invitations/", invitations.invitations, name="invitations"),
    path("invitations/<int:pk>/accepter/", invitations.invitation_accept, name="invitation_accept"),
    path(
        "invitations/<int:pk>/refuser/", invitations.invitation_decline, name="invitation_decline"
    ),
    # Équipe et accès (coordinators and directors)
    path("equipe/", team.team_list, name="team_list"),
    path("equipe/inviter/", team.team_invite, name="team_invite"),
    path("equipe/<int:pk>/modifier/", team.membership_update, name="membership_update"),
    path("equipe/<int:pk>/desactiver/", team.membership_deactivate, name="membership_deactivate"),
    path(
        "equipe/<int:pk>/annuler-invitation/",
        team.membership_cancel_invitation,
        name="membership_cancel_invitation",
    ),
    path("equipe/<int:pk>/reactiver/", team.membership_reactivate, name="membership_reactivate"),
]
