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
# # 08 · Practice case: the ferry *Lanterna* (CONSTRUCTED FOR TEACHING)
#
# **Everything in this case is constructed for teaching**: the ferry, the outlets, the
# harbour office's spokesperson and the passenger are fictional, and nobody real is accused
# of anything. The places (Split, Supetar and the Brac Channel between them), the calendar
# and the Sun are real, so the kit's answers are real. See `examples/practice/README.md`.
#
# A fictional aggregator page, captured some days after it was published, says a ferry lost
# power on the crossing from Split to Supetar, that its passengers were evacuated in
# lifeboats and that it was towed into Supetar. A passenger posted two photos.
#
# Apply the steps of notebooks 01-06 **on your own**: nothing below is worked for you. Each
# exercise says which tools help; the check under it tells you "correct", "almost" or
# "not yet" with a hint. The teacher's version holds the answers.

# %%
# %matplotlib inline
import datetime as dt

import osint_kit as ok
from osint_kit.geo import places_frame
from osint_kit.workshop.casefiles import find_examples, load_example_case

practice = load_example_case(find_examples() / "practice")
sources = practice.sources
PHOTOS = practice.evidence_dir
practice

# %% [markdown]
# ## 1. The capture: which date means what?
#
# Here is the captured page, as the case files keep it.

# %%
print(practice.capture_text)

# %% [markdown] tags=["exercise"]
# **Exercise 8.1** The page shows two dates. Which one is the day it was captured, which the
# day it was published? How many days after its publication was the page captured? Answer
# with a whole number. (`ok.ingest_text(practice.capture_text)` names the header date as
# `page_date`; `dt.date(...)` subtracts.)

# %% tags=["solution"]
days_to_capture = (dt.date(2025, 7, 25) - dt.date(2025, 7, 17)).days
ok.check("practice_capture_days", days_to_capture)

# %% [markdown] tags=["exercise"]
# **Exercise 8.2** The page says the ferry lost power "on Tuesday". Which date is that? Read
# the weekday against the right day (notebook 03): `ok.parse_when("on Tuesday",
# reference=..., tz="Europe/Zagreb")` with the reference you chose in 8.1. Answer as a date.

# %% tags=["solution"]
on_tuesday = ok.parse_when("on Tuesday", reference="2025-07-17", tz="Europe/Zagreb")
ok.check("practice_on_tuesday", on_tuesday)

# %% [markdown] tags=["solution-text"]
# **Model answer.** The header date (Friday 25 July 2025) is the capture; the byline
# (Thursday 17 July 2025) is the publication, so the page was captured 8 days later.
# "On Tuesday" read against the byline is Tuesday 15 July 2025; read against the header it
# would be 22 July, a week off, after the page itself was published.
#
# **Rubric:** the reference must be the publication day; a student who got 22 July used the
# capture date (the trap of notebook 01).

# %% [markdown]
# ## 2. Sources: grades and origins
#
# The sources with their Admiralty grades and who cites or copies whom, and the claims with
# the date each was stated and the date it is about.

# %%
frames = sources.frames()
frames["sources"][["id", "publisher", "kind", "reliability", "credibility", "cites", "copies"]]

# %%
frames["claims"][["id", "source_id", "proposition_id", "stance", "text"]]

# %% [markdown] tags=["exercise"]
# **Exercise 8.3** (judgement) The case grades the Adria Digest page. Which reliability
# would you give it, from A to F? Choose a letter, then justify it in two or three
# sentences: what is the page, what does it rest on, what does it add?

# %% tags=["solution"]
digest_grade = "D"
ok.check("practice_digest_grade", digest_grade)

# %% tags=["solution"]
digest_reason = ("The page is an aggregator copy of the Dalmatian wire with a staff byline "
                 "and no reporter of its own; it adds lifeboats, which its source does not "
                 "say, so it is not usually reliable.")
ok.check("practice_digest_why", digest_reason)

# %% [markdown] tags=["solution-text"]
# **Model answer.** D (not usually reliable), E defensible. The page **copies** the wire
# (no reporter, "staff", "Source link"), so it is at best as good as the wire, and it
# **adds** a claim its source does not make (the lifeboats). An outlet that embellishes what
# it copies loses reliability; its date header is a capture date, not a dateline.
#
# **Rubric:** 2 = a letter D/E with "copy of the wire" and "adds what the source does not
# say"; 1 = a letter with one reason; 0 = a grade for the story ("it's false") rather than
# for the source.

# %% [markdown] tags=["exercise"]
# **Exercise 8.4** How many independent origins support P1 (the ferry lost power on the
# afternoon of 15 July 2025)? Follow `cites` / `copies` in the sources table and the
# claims above, then compare with `ok.independent_origins("P1_power_loss", sources.claims,
# sources.sources)`.

# %% tags=["solution"]
origins_p1 = ok.independent_origins("P1_power_loss", sources.claims, sources.sources).supporting
ok.check("practice_origins_p1", origins_p1)

# %% [markdown] tags=["exercise"]
# **Exercise 8.5** (judgement) The page says Coast Morning and the Island Herald "carried the
# same report". Do three outlets make three confirmations? Say why in two sentences.

# %% tags=["solution"]
outlets_reason = ("No: Coast Morning and the Island Herald copy the Dalmatian wire word for "
                  "word, like the Digest, and the wire rests on the harbour office, so all "
                  "four are one origin.")
ok.check("practice_outlets_why", outlets_reason)

# %% [markdown] tags=["solution-text"]
# **Model answer.** No. All three outlets **copy the same wire**, and the wire's only source
# is the **harbour office statement**: many outlets, **one origin**. The independent
# support for P1 comes from elsewhere: the radio reporter on the quay and the passenger
# (three origins in all). For P2 (lifeboats) nobody of known origin says so and two origins
# contradict it.
#
# **Rubric:** 2 = copies of one wire and one origin behind it; 1 = "they copy" without the
# origin; 0 = "three outlets, so it is confirmed".

# %% [markdown]
# ## 3. The photos: metadata and editing signs
#
# The passenger's two photos are in `PHOTOS` (`examples/practice/evidence/`). Read them with
# `ok.read_metadata(path)` (the capture time, its offset, the GPS position) and look for
# editing signs with `ok.inspect(path)` (it also compares the embedded preview with the
# picture); `ok.read_metadata(path).raw` shows every tag.

# %%
sorted(p.name for p in PHOTOS.glob("*.jpg"))

# %% [markdown] tags=["exercise"]
# **Exercise 8.6** At what time **UTC** was `practice_photo_1.jpg` taken, according to its
# camera clock and offset? Answer as a clock time (`"hh:mm"`).

# %% tags=["solution"]
photo_1 = ok.read_metadata(PHOTOS / "practice_photo_1.jpg")
photo_1_utc = photo_1.datetime_original_utc
ok.check("practice_photo1_utc", photo_1_utc)

# %% [markdown] tags=["exercise"]
# **Exercise 8.7** Which of the two photos carries editing signs in its metadata (two of
# them)? Answer with its file name.

# %% tags=["solution"]
edited = [p.name for p in sorted(PHOTOS.glob("*.jpg"))
          if any(f.code == "editing_software" for f in ok.inspect(p))]
edited_photo = edited[0]
ok.check("practice_edited_photo", edited_photo)

# %% [markdown]
# ## 4. Place: how far, which way?
#
# The places of the case, each with an uncertainty radius (the photo's position is its
# EXIF GPS). `ok.distance(a, b)` gives metres, `ok.bearing(a, b)` degrees from north.

# %%
places_frame(practice.places)[["name", "lat", "lon", "uncertainty_m"]]

# %% [markdown] tags=["exercise"]
# **Exercise 8.8** How far was the ferry from Supetar ferry harbour when photo 1 was taken
# (in km), and in which direction (bearing from the photo's position) lay the harbour?

# %% tags=["solution"]
spot = practice.place("Photo 1 position (EXIF GPS)")
harbour = practice.place("Supetar ferry harbour")
to_harbour_km = ok.distance(spot, harbour) / 1000
to_harbour_bearing = ok.bearing(spot, harbour)
ok.check("practice_distance_km", to_harbour_km)

# %%
ok.check("practice_bearing", to_harbour_bearing)

# %% [markdown]
# ## 5. The Sun: "at sunset"?
#
# The passenger captioned photo 2 "at sunset". `ok.sun_times(place, date, tz=...)` gives
# sunrise, noon and sunset; `ok.shadow(place, when)` the direction shadows point (a
# timezone-aware `when`). The place is a `Place` or a `(lat, lon)` pair.

# %% [markdown] tags=["exercise"]
# **Exercise 8.9** When did the Sun set at Supetar ferry harbour on the day of the photos
# (local time, CEST)? Answer as `"hh:mm"`.

# %% tags=["solution"]
sunset = ok.sun_times(harbour, dt.date(2025, 7, 15), tz="Europe/Zagreb").sunset
ok.check("practice_sunset", sunset)

# %% [markdown] tags=["exercise"]
# **Exercise 8.10** At the time in photo 2's metadata, in which direction (degrees from
# north) did shadows point at Supetar harbour? A photo "at sunset" would show long shadows
# pointing east-south-east at this time of year; compare.

# %% tags=["solution"]
photo_2 = ok.read_metadata(PHOTOS / "practice_photo_2.jpg")
taken_2 = photo_2.datetime_original
assert taken_2 is not None, "photo 2 has no capture time"
shadow_azimuth_2 = ok.shadow(harbour, taken_2).azimuth
ok.check("practice_shadow_azimuth", shadow_azimuth_2)

# %% [markdown] tags=["exercise"]
# **Exercise 8.11** (judgement) Put it together: what do the two photos show about P1 and
# P3, and what do they not show? Mention the editing sign and the caption.

# %% tags=["solution"]
photos_reason = ("Photo 1 fits P1: mid-channel at 16:41 CEST, after the fault the harbour "
                 "office reported. Photo 2 was processed with Photoshop, so its metadata is "
                 "weaker; its time is 2.5 hours before sunset, so the caption is wrong.")
ok.check("practice_photos_why", photos_reason)

# %% [markdown] tags=["solution-text"]
# **Model answer.** Photo 1's metadata puts the phone in mid-channel at 16:41 CEST (14:41
# UTC), six minutes after the reported fault and 7.7 km north-west of Supetar: consistent
# with P1, not proof of the engine failure (a photo does not show power). Photo 2 names
# **Photoshop** in its Software tag and its embedded thumbnail still shows a wider picture:
# it was **cropped and re-saved**, so its metadata may have been changed too. If its time is right,
# 17:56 CEST is about **2.5 hours before sunset** (20:32): the caption "at sunset" is
# wrong, or the time is. Metadata can be written by anyone: it supports, never proves.
#
# **Rubric:** 2 = what fits P1/P3 and the limits (edited file, caption against sunset);
# 1 = one of the two; 0 = "the photos prove the story".
