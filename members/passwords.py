"""Password rules with messages in Chinese.

Django 5.2's zh_Hans catalogue lacks the plural form of MinimumLengthValidator's error, so a short
password was refused in English; the other validators' messages are translated and used as they are.
"""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"
