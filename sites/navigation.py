"""How to get there: links that open a site in the phone's map app (高德, 百度, 腾讯).

Each provider's URI API takes our WGS-84 coordinates with a flag saying so, and opens its app when
installed or its web map otherwise; nothing is converted here (DESIGN.md: never GCJ-02 in our data).
"""

from urllib.parse import urlencode

APP_NAME = "haitang"


def navigation_links(site):
    lat, lng, name, address = site.latitude, site.longitude, site.name, site.address
    return [
        (
            "高德地图",
            "https://uri.amap.com/marker?"
            + urlencode(
                {
                    "position": f"{lng},{lat}",
                    "name": name,
                    "coordinate": "wgs84",
                    "callnative": 1,
                    "src": APP_NAME,
                }
            ),
        ),
        (
            "百度地图",
            "https://api.map.baidu.com/marker?"
            + urlencode(
                {
                    "location": f"{lat},{lng}",
                    "title": name,
                    "content": address,
                    "coord_type": "wgs84",
                    "output": "html",
                    "src": APP_NAME,
                }
            ),
        ),
        (
            "腾讯地图",
            "https://apis.map.qq.com/uri/v1/marker?"
            + urlencode(
                {
                    "marker": f"coord:{lat},{lng};title:{name};addr:{address}",
                    "coord_type": 1,
                    "referer": APP_NAME,
                }
            ),
        ),
    ]
