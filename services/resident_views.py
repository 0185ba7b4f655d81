"""The residents' registration page (居民注册); services/residents.py decides and writes."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from members.volunteer_views import phone_registration

from .resident_forms import ResidentRegistrationForm
from .resident_models import Resident
from .residents import register_resident


def register(request):
    """The volunteers' two-button phone registration, for residents; afterwards they can raise demands."""
    if request.user.is_authenticated and Resident.objects.filter(user=request.user).exists():
        return redirect("/")
    form = ResidentRegistrationForm(request.POST or None)
    resident = phone_registration(
        request,
        form,
        purpose="居民注册",
        create=lambda data: register_resident(
            phone=data["phone"],
            code=data["code"],
            password=data["password"],
            name=data["name"],
            community=data["community"],
            grid=data.get("grid"),
        ),
    )
    if resident is not None:
        messages.success(request, f"注册成功，欢迎您，{resident.name}！现在可以反映诉求了。")
        return redirect(request.GET.get("next") if _safe(request) else "/")
    return render(request, "services/resident_register.html", {"form": form})


def _safe(request):
    nxt = request.GET.get("next")
    return bool(nxt) and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})
