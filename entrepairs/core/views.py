from django.shortcuts import render

from .access import public


@public
def accessibility(request):
    return render(request, "core/accessibility.html")


@public
def legal(request):
    return render(request, "core/legal.html")
