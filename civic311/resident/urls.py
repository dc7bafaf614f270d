from django.urls import path

from civic311.resident import browse, feeds, places, report, subscription_links, track, views

app_name = "resident"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", report.choose, name="report-choose"),
    path("report/place", places.lookup, name="report-place"),
    path("report/sent/<str:number>", report.sent, name="report-sent"),
    path("report/<str:code>/", report.report, name="report"),
    path("requests/", browse.requests_list, name="requests"),
    path("requests/points.json", browse.points, name="request-points"),
    path("areas/", browse.areas, name="areas"),
    path("wards/<str:code>/", browse.ward, name="ward"),
    path("community-areas/<str:code>/", browse.community_area, name="community-area"),
    path("track/", track.lookup, name="track-lookup"),
    # The stable address printed on receipts and texts: /track/26-00012345 (a trailing slash
    # works too).
    path("track/<str:number>", track.track, name="track"),
    path("track/<str:number>/", track.track),
    path("track/<str:number>/follow", track.follow_request, name="track-follow"),
    path("track/<str:number>/feed.atom", feeds.RequestFeed(), name="track-feed"),
    path("wards/<str:code>/feed.atom", feeds.WardFeed(), name="ward-feed"),
    # The links in followers' emails (their shape is built in notifications/channels/email, and
    # links in mail already sent must keep working).
    path("notifications/confirm/<str:token>", subscription_links.confirm, name="confirm"),
    path(
        "notifications/unsubscribe/<str:token>",
        subscription_links.unsubscribe,
        name="unsubscribe",
    ),
]
