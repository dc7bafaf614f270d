from django.urls import path

from civic311.resident import views

app_name = "resident"
urlpatterns = [
    path("", views.home, name="home"),
]
