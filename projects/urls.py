from django.urls import include, path

from . import api
from .views import area_dashboard, dashboard, public, staff, todo

app_name = "projects"

urlpatterns = [
    # Everyone signed in: what waits for me
    path("todo/", todo.todo_page, name="todo"),
    # Staff pages
    path("projects/", staff.project_list, name="project-list"),
    path("projects/new/", staff.project_create, name="project-create"),
    path("projects/from-claim/<int:pk>/", staff.project_from_claim, name="project-from-claim"),
    path("projects/dashboard/", dashboard.staff_dashboard, name="dashboard"),
    # 区域看板: every app's figures for one area (composed here, the top app)
    path("areas/dashboard/", area_dashboard.my_area_dashboard, name="my-area-dashboard"),
    path("areas/<int:pk>/dashboard/", area_dashboard.area_dashboard, name="area-dashboard"),
    path("projects/<int:pk>/", staff.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", staff.project_edit, name="project-edit"),
    path("projects/<int:pk>/advance/", staff.project_advance, name="project-advance"),
    path("projects/<int:pk>/expenses/", staff.expense_submit, name="expense-submit"),
    path("projects/<int:pk>/photos/", staff.photo_upload, name="photo-upload"),
    path("projects/expenses/<int:pk>/decide/", staff.expense_decide, name="expense-decide"),
    path("projects/expenses/<int:pk>/receipt/", staff.expense_receipt, name="expense-receipt"),
    # 公示, public
    path("gongshi/", dashboard.public_area, name="gongshi-index"),
    path("gongshi/area/<int:pk>/", dashboard.public_area, name="gongshi-area"),
    path("gongshi/showcase/", public.showcase, name="showcase"),
    path("gongshi/<int:community_id>/<int:year>/", public.community_year, name="gongshi-community"),
    path(
        "gongshi/<int:community_id>/<int:year>.csv",
        public.community_year,
        {"fmt": "csv"},
        name="gongshi-community-csv",
    ),
    path(
        "gongshi/<int:community_id>/<int:year>.xlsx",
        public.community_year,
        {"fmt": "xlsx"},
        name="gongshi-community-xlsx",
    ),
    # API
    path("api/", include(api.router.urls)),
]
