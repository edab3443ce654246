"""Maps of places, uncertainty circles, bearings and photo positions.

* :func:`plot_places` draws a static matplotlib map **fully offline**: the geometry on a
  local equirectangular projection (x scaled by cos(latitude) so that a circle looks round)
  over a minimal base map of coastlines and borders (Natural Earth 1:10m, public domain,
  shipped with the package: :mod:`osint_kit.display.basemap`; approximate, for orientation
  only). Uncertainty circles are geodesic polygons from :func:`osint_kit.geo.places.circle`;
  bearings are drawn as dashed geodesic lines labelled with their angle.
* :func:`plot_shadow_finder` draws the result of :func:`osint_kit.geo.shadow_finder` on a
  latitude/longitude grid (offline).
* :func:`interactive_map` builds a folium (Leaflet) map. **Displaying it fetches map tiles
  from a tile server over the network**, which tells that server which area you are looking
  at. It therefore refuses to run unless ``allow_network=True``. In a notebook the map is
  shown in an ``<iframe sandbox="allow-scripts">`` (an opaque origin: its scripts cannot reach
  the notebook page or the kernel), and every tooltip is escaped for the JavaScript
  template literal folium writes it into (:func:`osint_kit._html.esc_js_template`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from osint_kit._html import esc_js_template
from osint_kit.display.placement import LEADER, declutter
from osint_kit.display.text import mpl_text
from osint_kit.errors import GeoError, NetworkDisabledError
from osint_kit.geo.places import Place, as_latlon, circle, destination

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

#: A bearing line: (origin, bearing in degrees, length in metres, label).
Bearing = tuple[Any, float, float, str]


def _photo_points(photos: pd.DataFrame | None) -> pd.DataFrame:
    if photos is None or len(photos) == 0:
        return pd.DataFrame(columns=["lat", "lon", "label"])
    lat = "gps_latitude" if "gps_latitude" in photos.columns else "lat"
    lon = "gps_longitude" if "gps_longitude" in photos.columns else "lon"
    if lat not in photos.columns or lon not in photos.columns:
        raise GeoError("photos need gps_latitude/gps_longitude (or lat/lon) columns")
    label_col = next((c for c in ("file_name", "name", "path") if c in photos.columns), None)
    out = pd.DataFrame(
        {
            "lat": pd.to_numeric(photos[lat], errors="coerce"),
            "lon": pd.to_numeric(photos[lon], errors="coerce"),
            "label": photos[label_col].astype(str) if label_col else "",
        }
    )
    return out.dropna(subset=["lat", "lon"])


def plot_places(
    places: Iterable[Place] = (),
    photos: pd.DataFrame | None = None,
    bearings: Sequence[Bearing] = (),
    ax: Any = None,
    title: str | None = None,
    circle_points: int = 72,
    basemap: bool = True,
) -> Figure:
    """A static, offline map: places (with uncertainty circles), bearings and photo positions.

    ``bearings`` holds ``(origin, bearing_deg, length_m, label)`` tuples (origin a Place or
    ``(lat, lon)``); ``photos`` is a DataFrame with ``gps_latitude``/``gps_longitude`` (a
    scan) or ``lat``/``lon``. ``basemap`` draws the offline coast and border outlines.
    Returns the Figure without showing it.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    places = list(places)
    pts = _photo_points(photos)
    lats = [p.lat for p in places] + pts["lat"].tolist()
    for origin, _b, _d, _l in bearings:
        lats.append(as_latlon(origin)[0])
    if not lats:
        raise GeoError("nothing to plot: give places, photos or bearings")
    lat0 = sum(lats) / len(lats)
    kx = math.cos(math.radians(lat0))

    labels: list[Any] = []  # placed without overlaps at the end (display.placement)
    offset: dict[str, Any] = {"xytext": (5, 4), "textcoords": "offset points",
                              "arrowprops": LEADER}

    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 6), layout="constrained")
    else:
        fig = ax.figure
    for p in places:
        ax.plot(p.lon * kx, p.lat, "o", color="tab:red", zorder=3)
        labels.append(ax.annotate(mpl_text(p.name), (p.lon * kx, p.lat), fontsize=8, **offset))
        if p.uncertainty_m > 0:
            ring = circle(p, p.uncertainty_m, circle_points)
            ax.plot(
                [q[1] * kx for q in ring],
                [q[0] for q in ring],
                "-",
                color="tab:red",
                alpha=0.5,
                linewidth=1,
            )
    for origin, brg, length, label in bearings:
        la, lo = as_latlon(origin)
        n = 20
        line = [(la, lo)] + [destination((la, lo), brg, length * i / n) for i in range(1, n + 1)]
        ax.plot(
            [q[1] * kx for q in line], [q[0] for q in line], "--", color="tab:blue", linewidth=1
        )
        labels.append(ax.annotate(f"{mpl_text(label)} ({brg:.0f}°)",
                                  (line[-1][1] * kx, line[-1][0]), fontsize=7,
                                  color="tab:blue", **offset))
    if len(pts):
        ax.plot(pts["lon"] * kx, pts["lat"], "^", color="tab:green", label="photos", zorder=3)
        for plat, plon, plabel in zip(pts["lat"], pts["lon"], pts["label"], strict=True):
            labels.append(ax.annotate(mpl_text(plabel), (float(plon) * kx, float(plat)),
                                      fontsize=7, color="tab:green", **offset))
    ax.set_aspect("equal", adjustable="datalim")
    ax.margins(0.12)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x / kx:.3f}"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: f"{y:.3f}"))
    ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    xlabel = "longitude (°)"
    if basemap:
        from osint_kit.display.basemap import ATTRIBUTION, draw_outlines

        lons_all = [p.lon for p in places] + pts["lon"].tolist() + [
            destination(as_latlon(o), b, d)[1] for o, b, d, _l in bearings] + [
            as_latlon(o)[1] for o, _b, _d, _l in bearings]
        lats_all = lats + [destination(as_latlon(o), b, d)[0] for o, b, d, _l in bearings]
        pad = max(0.05, (max(lons_all) - min(lons_all)), (max(lats_all) - min(lats_all)))
        if draw_outlines(ax, min(lons_all) - pad, min(lats_all) - pad,
                         max(lons_all) + pad, max(lats_all) + pad, kx):
            xlabel += f"\n{ATTRIBUTION}"
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel("latitude (°)")
    ax.grid(True, alpha=0.3)
    ax.set_title(mpl_text(title, 120) if title else "Places (offline map: no tiles, WGS84)")
    declutter(ax, labels)
    return fig


def plot_shadow_finder(result: pd.DataFrame, ax: Any = None, title: str | None = None) -> Figure:
    """Scatter the grid points of :func:`osint_kit.geo.shadow_finder` (offline, no basemap)."""
    import matplotlib.pyplot as plt

    for col in ("lat", "lon", "ratio_error"):
        if col not in result.columns:
            raise GeoError(f"plot_shadow_finder: column {col!r} missing; pass shadow_finder()")
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    else:
        fig = ax.figure
    sc = ax.scatter(result["lon"], result["lat"], c=result["ratio_error"], s=6, cmap="viridis_r")
    fig.colorbar(sc, ax=ax, label="relative ratio error")
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_xlabel("longitude (°)")
    ax.set_ylabel("latitude (°)")
    ax.grid(True, alpha=0.3)
    ax.set_title(mpl_text(title or result.attrs.get("provenance", "Where the shadow ratio occurs"),
                          120))
    return fig


def interactive_map(
    places: Iterable[Place] = (),
    photos: pd.DataFrame | None = None,
    allow_network: bool = False,
    tiles: str = "OpenStreetMap",
) -> Any:
    """A folium (Leaflet) map of places and photos. **Uses the network when displayed.**

    Showing the map makes the browser download tiles from ``tiles``' server, revealing the
    area under investigation to that server (an opsec concern). Pass ``allow_network=True``
    to accept that; otherwise :class:`~osint_kit.errors.NetworkDisabledError` is raised.
    folium is the optional extra ``webmap`` (``pip install osint-kit[webmap]``). For an
    offline map use :func:`plot_places`.
    """
    if not allow_network:
        raise NetworkDisabledError(
            "interactive_map() would download map tiles from the network when shown, telling "
            "the tile server which area you are investigating. Use plot_places() for an "
            "offline map, or pass allow_network=True to accept the network access."
        )
    try:
        import folium
    except ImportError as err:
        raise ImportError(
            "interactive_map() needs folium, the optional 'webmap' extra: "
            "pip install osint-kit[webmap]"
        ) from err
    places = list(places)
    pts = _photo_points(photos)
    lats = [p.lat for p in places] + pts["lat"].tolist()
    lons = [p.lon for p in places] + pts["lon"].tolist()
    if not lats:
        raise GeoError("nothing to map: give places or photos")
    fmap = folium.Map(
        location=[sum(lats) / len(lats), sum(lons) / len(lons)], tiles=tiles, zoom_start=13
    )
    fmap.add_to(_sandboxed_figure())
    for p in places:
        folium.Marker([p.lat, p.lon], tooltip=esc_js_template(p.name)).add_to(fmap)
        if p.uncertainty_m > 0:
            folium.Circle([p.lat, p.lon], radius=p.uncertainty_m).add_to(fmap)
    for plat, plon, label in zip(pts["lat"], pts["lon"], pts["label"], strict=True):
        folium.CircleMarker(
            [float(plat), float(plon)], radius=4, tooltip=esc_js_template(label)
        ).add_to(fmap)
    return fmap


#: The iframe's sandbox: scripts may run (Leaflet), but without ``allow-same-origin`` the
#: frame has an opaque origin, so nothing in it can touch the notebook page or its kernel.
MAP_SANDBOX = "allow-scripts"


def _sandboxed_figure() -> Any:
    """A branca Figure whose notebook display is a sandboxed ``<iframe srcdoc>``.

    branca's own ``Figure._repr_html_`` writes the iframe without a sandbox, so a script in
    the map would run with the notebook's origin. This one writes the iframe itself.
    """
    from branca.element import Figure

    class SandboxedFigure(Figure):  # type: ignore[misc]
        def _repr_html_(self, **kwargs: Any) -> str:
            doc = html.escape(self.render(**kwargs), quote=True)
            return (
                f'<iframe sandbox="{MAP_SANDBOX}" srcdoc="{doc}" title="interactive map" '
                'style="width:100%;height:480px;border:none" loading="lazy"></iframe>'
            )

    return SandboxedFigure()
