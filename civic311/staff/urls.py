from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from civic311.staff import desk, login, request_page, views, ward

app_name = "staff"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("login/", login.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="staff:login"), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="staff/password.html", success_url="/staff/password/done/"
        ),
        name="password",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="staff/password_done.html"),
        name="password-done",
    ),
    # The department work queue and the request page (issue #6, part 1).
    path("queue/", views.queue, name="queue"),
    path("queue/bulk/", views.queue_bulk, name="queue-bulk"),
    path("queue/views/", views.save_view, name="save-view"),
    path("queue/views/<int:pk>/delete/", views.delete_view, name="delete-view"),
    path("requests/<str:number>/", request_page.request_page, name="request"),
    path("requests/<str:number>/<slug:action>/", request_page.act, name="request-act"),
]

# The call-center desk (desk.py) and the ward office view (ward.py).
urlpatterns += [
    path("desk/", desk.desk, name="desk"),
    path("desk/new/", desk.new, name="desk-new"),
    path("desk/taken/<str:number>/", desk.taken, name="desk-taken"),
    path("desk/note/<str:number>/", desk.note, name="desk-note"),
]
urlpatterns += [
    path("ward/", ward.wards, name="wards"),
    path("ward/<str:code>/", ward.ward, name="ward"),
    path("ward/<str:code>/requests.csv", ward.ward_csv, name="ward-csv"),
    path("ward/<str:code>/new/", ward.new, name="ward-new"),
]
