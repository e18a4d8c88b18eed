"""Administration of second factors: a TOTP secret is never shown again after set-up.

django-otp's own admin shows the key of any user's device and a page with its QR code
(``<pk>/config/``): whoever reads it can compute that user's codes. Here an administrator
sees that a device exists, when it was used and its throttling state, and may delete it (a
lost phone: its owner enrols a new one at the next login, the only moment a key is shown).
"""

from django.contrib import admin
from django.http import Http404
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as OTPTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

SECRET_FIELDS = {"key", "qrcode_link"}


class TOTPDeviceAdmin(OTPTOTPDeviceAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "confirmed"]

    def get_list_display(self, request):
        return self.list_display

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in SECRET_FIELDS]})
            for name, options in super().get_fieldsets(request, obj)
            if set(options["fields"]) - SECRET_FIELDS
        ]

    def has_add_permission(self, request):
        return False  # a device is enrolled by its owner, who alone sees its key

    def has_change_permission(self, request, obj=None):
        return False  # nobody writes a key they would then know

    def config_view(self, request, pk):
        raise Http404

    def qrcode_view(self, request, pk):
        raise Http404


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
