from entrepairs.core.navigation import items_for


def current_membership(request):
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "pending_invitations": getattr(request, "pending_invitations", []),
        "nav_items": items_for(membership, request.path),
    }
