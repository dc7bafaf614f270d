from django.urls import URLPattern, URLResolver, path

from civic311.sms import views

app_name = "sms"
urlpatterns: list[URLPattern | URLResolver] = [
    path("inbound", views.inbound, name="inbound"),
]
