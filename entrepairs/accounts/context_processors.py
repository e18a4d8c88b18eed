from entrepairs.core.navigation import groups_for


def current_membership(request):
    membership = getattr(request, "membership", None)
    groups = groups_for(membership, request.path)
    return {
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "pending_invitations": getattr(request, "pending_invitations", []),
        "nav_groups": groups,
        "nav_items": [item for group in groups for item in group["items"]],
    }
