# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 · Place and time: the only rail link, two time zones, and shadows
#
# Where could five railcars cross from Russia into North Korea, and when was an overhead
# image taken? Places are claims like any other: each has a source and an **uncertainty
# radius** (`examples/case/places.yaml`).

# %%
# %matplotlib inline
import datetime as dt
import math
from zoneinfo import ZoneInfo

import matplotlib.pyplot as plt
import pandas as pd
from PIL import Image

import osint_kit as ok
from osint_kit.geo import places_frame
from osint_kit.workshop.casefiles import find_examples, load_example_case

case = load_example_case(find_examples())
station = case.place("Tumangang station")
bridge = case.place("Korea-Russia Friendship Bridge")
khasan = case.place("Khasan")
places_frame(case.places)

# %% [markdown]
# ## The only rail link
#
# 38 North calls the Friendship Bridge over the Tumen "the only land link between the two
# countries" **[C]**. `ok.distance(a, b)` (metres) and `ok.bearing(a, b)` (degrees) work
# on the WGS84 ellipsoid (geographiclib); `station`, `bridge` and `khasan` are the places
# above.

# %%
border = [p for p in case.places if p.lon > 100]
to_bridge = (station, ok.bearing(station, bridge), ok.distance(station, bridge), "to the bridge")
fig = ok.plot_places(border, bearings=[to_bridge], title="Tumangang - Khasan")

# %% [markdown]
# Caveat **[C]/[B]**: the line from Khasan to the port of Rajin is **dual gauge**, so Russian
# broad-gauge wagons can run past Tumangang. The only link proves the crossing, not where
# the loading happened.

# %% [markdown] tags=["exercise"]
# **Exercise 5.1** How far is Tumangang station from the Friendship Bridge, in km?

# %% tags=["solution"]
bridge_km = ok.distance(station, bridge) / 1000
ok.check("bridge_distance_km", bridge_km)

# %% [markdown]
# The worked result, for the three places:

# %%
for a, b in ((station, bridge), (bridge, khasan), (station, khasan)):
    print(f"{a.name:>32} -> {b.name:<32} {ok.distance(a, b) / 1000:5.2f} km, "
          f"bearing {ok.bearing(a, b):5.1f}°")

# %% [markdown]
# ## Two time zones
#
# North Korea keeps Korean time (`Asia/Pyongyang`, **[B]**); Khasan keeps Vladivostok time
# (`Asia/Vladivostok`, **[C]**). Here is one moment on the clocks of four zones:

# %%
moment = dt.datetime(2022, 11, 18, 6, 0, tzinfo=dt.UTC)
for zone in ("Asia/Pyongyang", "Asia/Vladivostok", "America/New_York", "Europe/Warsaw"):
    print(f"{zone:>18}: {moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M %Z (UTC%z)}")

# %% [markdown] tags=["exercise"]
# **Exercise 5.2** How many hours are Khasan clocks ahead of Tumangang clocks?

# %% tags=["solution"]
khasan_ahead = 1
ok.check("khasan_clock_ahead_hours", khasan_ahead)

# %% [markdown]
# A train crossing the 600-metre bridge changes clocks by an hour: a time in a report is
# only as good as the zone it was given in.

# %% [markdown]
# ## The Sun over Tumangang
#
# A shadow's direction and length depend on where the Sun stands: `ok.shadow(place, when)`
# gives the shadow's bearing and its length per metre of height at one moment, and
# `ok.expected_shadow(place, start, end)` its range over a span of time. Every geo helper
# takes the place first, as one argument: a `Place` or a `(lat, lon)` pair. Here they are for
# the Planet image of this site taken on 4 November 2022 at 13:10 KST **[C]**, an
# afternoon view:

# %%
kst = ZoneInfo("Asia/Pyongyang")
ok.shadow(station, dt.datetime(2022, 11, 4, 13, 10, tzinfo=kst))

# %%
ok.expected_shadow(station, dt.datetime(2022, 11, 4, 12, 50, tzinfo=kst),
                dt.datetime(2022, 11, 4, 13, 30, tzinfo=kst))

# %% [markdown]
# ## Measure the shadows on the overhead views
#
# The two overhead views are **RECONSTRUCTIONS FOR TEACHING**: schematic drawings whose
# shadows were cast from the Sun's computed position at a time the case authors chose. The
# real images' acquisition times were not released in anything we read. Each view has a
# scale bar (0.25 m
# per pixel), a north arrow (north is up) and a **light mast M, 12.0 m tall**. Zoom in on
# the mast, read the pixel position of the tip of its shadow, and turn it into a bearing
# and a length ratio.

# %%
EVIDENCE = case.evidence_dir
MAST_BASE = (700, 560)  # pixel (x, y) of the mast foot, marked with a white dot
GSD_M, MAST_M = 0.25, 12.0


def show_mast(name: str) -> plt.Figure:
    """The mast region of one overhead view, with pixel coordinates on the axes."""
    image = Image.open(EVIDENCE / name)
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.imshow(image)
    ax.set_xlim(600, 760)
    ax.set_ylim(600, 420)
    ax.grid(True, color="white", alpha=0.4)
    ax.set_title(f"{name}\n(RECONSTRUCTION FOR TEACHING)")
    plt.close(fig)
    return fig


show_mast("overhead_tumangang_2022-11-18_reconstruction.jpg")

# %% [markdown] tags=["exercise"]
# **Exercise 5.3** Read the pixel position of the shadow's tip on the 18 November view.
# Compute the shadow's bearing (degrees clockwise from north; image y grows downwards) and
# its length divided by the mast's height.

# %% tags=["solution"]
tip_18 = (659, 466)
dx, dy = tip_18[0] - MAST_BASE[0], tip_18[1] - MAST_BASE[1]
bearing_18 = math.degrees(math.atan2(dx, -dy)) % 360
ratio_18 = math.hypot(dx, dy) * GSD_M / MAST_M
ok.check("shadow_bearing_18nov", bearing_18)

# %%
ok.check("shadow_ratio_18nov", ratio_18)

# %% [markdown]
# ## When do the shadows fall like that?
#
# `chronolocate` searches the day for the times when a vertical object's shadow points
# that way (within a tolerance) with that length ratio. Here is the expected shadow for
# one candidate time, to compare with your measurement:

# %%
ok.shadow(station, dt.datetime(2022, 11, 18, 12, 0, tzinfo=kst))

# %% [markdown]
# `chronolocate` returns a table of time windows (it may be empty: then no time of that day
# fits your measurement). This small helper gives the middle of the first window, or says
# that none fits:

# %%
def middle_of(windows: pd.DataFrame) -> str | None:
    """The middle of the first time window as HH:MM, or None when no window fits."""
    if windows.empty:
        print("No time of this day fits that bearing and ratio: check your measurement.")
        return None
    start, end = windows["start"].iloc[0], windows["end"].iloc[0]
    return str((start + (end - start) / 2).strftime("%H:%M"))


# %% [markdown] tags=["exercise"]
# **Exercise 5.4** Run `chronolocate` with your bearing and ratio for 18 November 2022
# (time zone `Asia/Pyongyang`). At what local time (KST, `HH:MM`) was the view "taken"?

# %% tags=["solution"]
windows_18 = ok.chronolocate(station, dt.date(2022, 11, 18), bearing_18, azimuth_tol=2.0,
                          length_ratio=ratio_18, ratio_tol=0.05, tz="Asia/Pyongyang")
time_18 = middle_of(windows_18)
ok.check("capture_time_18nov", time_18)

# %% [markdown]
# Now the 19 November view: the same method, one day later.

# %%
show_mast("overhead_tumangang_2022-11-19_reconstruction.jpg")

# %% [markdown] tags=["exercise"]
# **Exercise 5.5** Measure the 19 November view and give its local time (KST, `HH:MM`).

# %% tags=["solution"]
tip_19 = (675, 468)
dx, dy = tip_19[0] - MAST_BASE[0], tip_19[1] - MAST_BASE[1]
bearing_19 = math.degrees(math.atan2(dx, -dy)) % 360
ratio_19 = math.hypot(dx, dy) * GSD_M / MAST_M
windows_19 = ok.chronolocate(station, dt.date(2022, 11, 19), bearing_19, azimuth_tol=2.0,
                          length_ratio=ratio_19, ratio_tol=0.05, tz="Asia/Pyongyang")
time_19 = middle_of(windows_19)
ok.check("capture_time_19nov", time_19)

# %% [markdown]
# ## Which satellites, at what time?
#
# A satellite with a 10:30 descending node sees Tumangang in mid-November with shadows
# pointing **NNW, about twice as long as objects are tall**; a 13:30 satellite sees them
# pointing NNE **[X]**. Which satellites fly at which time, and how sure is that?
#
# * GeoEye-1: 10:30 descending node **[C]** (mission page). WorldView-3: 13:30 **[C]**.
# * WorldView-1: *initially* 10:30 **[C]**, but the excerpt we read was cut off: it may
#   have changed since.
# * WorldView-2: 10:30 comes from a **weak source**, an AI-written page; the ESA page prints
#   "10:30 PM", apparently a typo. Check it against Maxar's own specification sheet before
#   relying on it.
# * Agile satellites point off-nadir, so the real time over a target varies by tens of
#   minutes around the node time **[B]**.
#
# Commercial images of **this site** were taken at other times too. 38 North's article of
# November 2022 reports **two** Planet images of the same train on 4 November 2022: at
# **10:24 KST** (01:24 UTC) and at **13:10 KST** (04:10 UTC) **[C]**; Railtarget adds about
# 14:29 local time at Khasan (UTC+10) **[C]**. Images of the crossing range from late
# morning to mid-afternoon.

# %% [markdown]
# ## A consistency check of the reconstruction, not a finding
#
# Both reconstructed views come out in the **late morning** (about 10:30 and 11:05 KST).
# That is no discovery about the released images: the case authors **chose** these times
# near 10:30 when they drew the views (the key is `examples/reconstructions_truth.json`),
# so getting them back only checks that your measurement and `chronolocate` agree with the
# drawing. Had they drawn the shadows at 13:10, you would have found 13:10.
#
# For the **real** images the question stays open. Nothing we read gives their sensor (US
# government or commercial: unknown) or their acquisition times. Planet images of this
# very site were taken at 10:24 **and** at 13:10 KST on 4 November 2022 (38 North): a real
# image could fall in either window, or elsewhere. Only the released pictures' own shadows,
# measured as you just did, could date them.

# %% [markdown]
# Next: **06 · Conclusions**.
