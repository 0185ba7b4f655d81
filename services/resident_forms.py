"""The residents' registration form: the volunteers' phone registration form, plus the grid."""

from members.volunteer_forms import RegistrationForm
from sites.ids import ModelIdChoiceField, parse_id
from sites.models import Area, AreaLevel


class ResidentRegistrationForm(RegistrationForm):
    """A city has ~10,000 grids: the grid list holds only the grids of the community already chosen
    (known once 获取验证码 has been pressed), so the page stays small and needs no JavaScript."""

    grid = ModelIdChoiceField(
        label="所在网格",
        queryset=Area.objects.none(),
        required=False,
        empty_label="不清楚（可不填）",
        help_text="选好社区并获取验证码后，可在此选择网格。",
    )
    needed = (
        ("code", "请填写短信中的 6 位验证码。"),
        ("name", "请填写您的称呼。"),
        ("community", "请选择所在社区。"),
        ("password", "请设置密码。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "称呼"
        self.fields["community"].label = "所在社区"
        community_id = parse_id(self.data.get("community", ""))
        community = community_id and Area.objects.filter(level=AreaLevel.COMMUNITY, pk=community_id).first()
        if community:
            self.fields["grid"].queryset = Area.objects.filter(
                level=AreaLevel.GRID, path__startswith=community.path
            ).order_by("path")
