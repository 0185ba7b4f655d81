from django import forms

from .models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email", "sms"]
        labels = {"email": "同时发邮件", "sms": "同时发短信"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].help_text = f"发到 {user.email}" if user.email else "账号未填写邮箱"
        self.fields["sms"].help_text = f"发到 {user.masked_phone}" if user.phone else "账号未填写手机号"

    def clean(self):
        data = super().clean()
        if data.get("email") and not self.user.email:
            self.add_error(
                "email", "您的账号没有邮箱，收不到邮件：请联系工作人员在账号中填写邮箱，或不勾选此项。"
            )
        if data.get("sms") and not self.user.phone:
            self.add_error(
                "sms", "您的账号没有手机号，收不到短信：请联系工作人员在账号中填写手机号，或不勾选此项。"
            )
        return data
