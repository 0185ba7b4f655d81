from django.shortcuts import render
from django.views.generic import DetailView

from .models import Area, Site


def home(request):
    # Placeholder until the 红色地图 lands (issue 3): the home page lists the districts.
    districts = Area.objects.filter(level="district")
    return render(request, "sites/home.html", {"districts": districts})


class SiteDetailView(DetailView):
    queryset = Site.objects.active().select_related("area")
    template_name = "sites/site_detail.html"


class AreaDetailView(DetailView):
    queryset = Area.objects.all()
    template_name = "sites/area_detail.html"
