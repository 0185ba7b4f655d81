"""Who acts for a project: community staff run their own community's steps, street staff review them.

One definition shared by the workflow, the fund operations and the pages (to show only the buttons
a person may press). Superusers may act in either role, so an administrator can unblock a project.
"""

from members.models import Role

from .errors import WorkflowError
from .models import Status

ROLE_NAMES = {Role.COMMUNITY_STAFF: "社区工作人员", Role.STREET_STAFF: "街道工作人员"}


def in_area(user, project):
    return user.is_authenticated and user.can_manage(project.community)


def may_act(user, project, role):
    return user.is_authenticated and user.acts_as(role, project.community)


def may_edit(user, project):
    """Community staff edit their own projects' details until the project is published (公示)."""
    return project.status != Status.PUBLISHED and may_act(user, project, Role.COMMUNITY_STAFF)


def require_actor(user, project, role):
    """Raise a WorkflowError saying why `user` may not act as `role` on `project`."""
    if may_act(user, project, role):
        return
    if not in_area(user, project):
        raise WorkflowError("该项目不在您的负责区域内。", kind=WorkflowError.NOT_FOUND)
    raise WorkflowError(f"此步骤须由项目所在的{ROLE_NAMES[role]}办理。", kind=WorkflowError.FORBIDDEN)
