from django import forms

from .models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):
    """Channels besides the 站内信. One the account has no address for is shown off and can't be chosen
    (a disabled field ignores what is posted), with the reason beside it."""

    class Meta:
        model = NotificationPreference
        fields = ["email", "sms"]
        labels = {"email": "同时发邮件", "sms": "同时发短信"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        addresses = {
            "email": (user.email, "账号未填写邮箱：请联系工作人员在账号中填写后再选择"),
            "sms": (
                user.masked_phone if user.phone else "",
                "账号未填写手机号：请联系工作人员在账号中填写后再选择",
            ),
        }
        for name, (address, missing) in addresses.items():
            field = self.fields[name]
            if address:
                field.help_text = f"发到 {address}"
            else:
                field.disabled, field.help_text = True, missing
                self.initial[name] = False
