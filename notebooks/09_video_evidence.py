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
# # 09 · Video evidence: what does a clip say about itself?
#
# Most open-source evidence today is video: clips saved from Telegram, X or YouTube, or
# handed over straight from a phone. This notebook takes one clip through the same steps as
# the photos in notebook 04: what the file says and where each value came from, which
# clock its times rest on, what the findings say, its frames, its copies, the search
# engines, and the chain of custody.
#
# **The clip is GENERATED FOR TEACHING.** It is made in this notebook by
# `osint_kit.testing.videos.make_clip`: coloured discs drifting over a gradient, drawn by
# the kit, nothing filmed. Its name starts with `GENERATED_`, its title tag says so, and the
# phone-like tags (make, model, time, place) are written by ExifTool the way an iPhone
# writes them, so that every value has a known truth. Nothing here uses the network.

# %%
# %matplotlib inline
import hashlib
import shutil
import subprocess

import pandas as pd
from IPython.display import HTML
from PIL import Image

import osint_kit as ok
from osint_kit.display.reverse_links import search_links_html
from osint_kit.testing.videos import make_clip
from osint_kit.workshop.casefiles import output_dir

OUT = output_dir() / "video"  # build/notebooks/video/ in the repository
shutil.rmtree(OUT, ignore_errors=True)  # a fresh run: the files below are all generated
EVIDENCE, WORK = OUT / "evidence", OUT / "working"
EVIDENCE.mkdir(parents=True)
WORK.mkdir()
EXIFTOOL = shutil.which("exiftool")
LABEL = "GENERATED TEACHING CLIP made by osint_kit - not a recording"
print("ExifTool:", EXIFTOOL or "not installed: the phone tags below are missing "
      "(Debian: apt-get install libimage-exiftool-perl)")


def exiftool(path, *tags):
    """Write tags into a clip with ExifTool, as a phone or an editor would (skipped without it)."""
    if EXIFTOOL:
        subprocess.run([EXIFTOOL, "-q", "-overwrite_original", *tags, str(path)], check=True)


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# %% [markdown]
# ## The teaching clip, as a phone would have written it
#
# Six seconds, 480x270 pixels, 25 frames a second, a keyframe every two seconds. ExifTool
# then writes what an iPhone writes: the movie header's creation time (08:30:00, in UTC as
# the format's standard says), Apple's own creation date **with the phone's offset**
# (10:30:00+02:00, Kyiv in November), make, model, iOS version and the position. It also
# removes the `©swr` tag in which FFmpeg (which drew the clip) names itself: a phone names
# no encoder program.

# %%
SECONDS = 6
phone = make_clip(EVIDENCE / "GENERATED_teaching_clip_phone.mov", seconds=SECONDS,
                  size=(480, 270), fps=25, seed=23, gop=50,
                  metadata={"title": LABEL, "comment": LABEL})
exiftool(phone, "-QuickTime:CreateDate=2022:11:18 08:30:00",
         "-Keys:CreationDate=2022:11:18 10:30:00+02:00", "-Keys:Make=Apple",
         "-Keys:Model=iPhone 12", "-Keys:Software=16.1",
         "-Keys:GPSCoordinates=50.4501, 30.5234, 170", "-UserData:SoftwareVersion=")
PHONE_SHA256 = sha256(phone)  # noted before any analysis: compared at the end
print(phone.name, phone.stat().st_size, "bytes, sha256", PHONE_SHA256)

# %% [markdown]
# ## What the container says, and where each value came from
#
# `ok.read_metadata`, the same reader as for photos, recognises a video by its first bytes
# and reads the QuickTime/MP4 boxes itself (header boxes only, never the picture data), in
# the kit's isolated worker, without changing the file. Every value names the box or tag it came
# from: `mvhd` is the movie header, `tkhd`/`stsd` describe the video track, `Keys:` are
# Apple's tags.

# %%
meta = ok.read_metadata(phone)
FIELDS = ["container", "video_codec", "duration_s", "width", "height", "display_width",
          "display_height", "rotation", "fps", "frame_count", "created_raw", "created_utc",
          "created_local", "make", "model", "software", "encoder", "gps_latitude",
          "gps_longitude"]
pd.DataFrame([(f, getattr(meta, f), meta.provenance.get(f, "")) for f in FIELDS],
             columns=["field", "value", "came from"])

# %% [markdown]
# The picture is 480x270 (`stsd`, the stored frames) and shows as 480x270 (no rotation in
# the track header). No encoder is named: ExifTool removed FFmpeg's tag. The position is
# Kyiv, read from Apple's ISO 6709 location string.
#
# ## Which clock? The QuickTime UTC question
#
# The movie header stores the creation time as seconds since 1904 (`created_raw`), and
# the standard says those seconds are **UTC**. Many phones and cameras write their
# **local** wall-clock time there instead, and the file does not say which. Apple also
# writes `com.apple.quicktime.creationdate` with the offset. Here both agree, and the reader
# says what its UTC value rests on:

# %%
print("raw:         ", meta.created_raw)
print("as UTC:      ", meta.created_utc)
print("local:       ", meta.created_local)
print("assumption:  ", meta.created_assumption)
print("came from:   ", meta.provenance.get("created_utc"))

# %% [markdown]
# A second device, a camera set to Kyiv time, writes its time only into the movie header,
# and writes its **local** clock there. Nothing in this file can tell local from UTC, so
# the reader keeps the standard's reading and says it is an assumption:

# %%
camera = make_clip(EVIDENCE / "GENERATED_teaching_clip_camera.mp4", seconds=3,
                   size=(320, 180), seed=31, metadata={"title": LABEL,
                                                      "creation_time": "2022-11-18T14:05:00Z"})
camera_meta = ok.read_metadata(camera)
print("raw:         ", camera_meta.created_raw)
print("as UTC:      ", camera_meta.created_utc)
print("assumption:  ", camera_meta.created_assumption)

# %% [markdown] tags=["exercise"]
# **Exercise 9.1** The camera's owner tells you it writes its **local** time (Kyiv,
# UTC+02:00) into the movie header. At what time, in UTC, did the recording start? (e.g.
# `"09:15"`)

# %% tags=["solution"]
header = camera_meta.created_utc  # the camera's local clock, read as if it were UTC
camera_utc = (header - pd.Timedelta(hours=2)).strftime("%H:%M") if header else None
ok.check("video_camera_utc", camera_utc)

# %% [markdown]
# The worked result: when the device also writes its local date with the offset (Apple's
# tag, written here by ExifTool), the reader sees that the movie header holds local time
# and corrects the UTC value itself, with a warning. Without such a second tag, only what
# you know about the device can decide: never take a video's creation time as UTC without
# asking which clock wrote it.

# %%
exiftool(camera, "-Keys:CreationDate=2022:11:18 14:05:00+02:00")
camera_meta = ok.read_metadata(camera)
print("as UTC:      ", camera_meta.created_utc)
print("assumption:  ", camera_meta.created_assumption)
print("warnings:    ", camera_meta.warnings)

# %% [markdown]
# ## Copies: a re-upload, an edit, and an unrelated clip
#
# To study copies we make three more GENERATED files, the way the kit's tests do: the
# same generated scene encoded again, as a platform or an editor would have done it.
#
# * a **re-upload**: smaller (320x180), the first second cut off, a lower bit rate, no tags
#   at all (what a platform's re-encode typically leaves);
# * an **edit**: the whole clip written again by another encoder (MPEG-4 Part 2 instead
#   of H.264), with the phone's tags copied over, as editing apps do;
# * an **unrelated** clip of another scene.

# %%
reupload = make_clip(EVIDENCE / "GENERATED_copy_reupload.mp4", seconds=5, size=(320, 180),
                     seed=23, start_frame=25, bitrate=250_000, metadata={"title": LABEL})
edited = make_clip(EVIDENCE / "GENERATED_copy_edited.mp4", seconds=6, size=(480, 270),
                   seed=23, codec="mpeg4", metadata={"title": LABEL})
exiftool(edited, "-tagsFromFile", str(phone), "-Keys:all", "-QuickTime:CreateDate")
other = make_clip(EVIDENCE / "GENERATED_other_scene.mp4", seconds=4, size=(480, 270),
                  seed=5, metadata={"title": LABEL})
clips = [phone, reupload, edited, other]
pd.DataFrame([ok.read_metadata(p).to_row() for p in clips])[
    ["file_name", "video_codec", "width", "height", "duration_s", "make", "model", "encoder"]]

# %% [markdown]
# ## Findings: what each file says about itself, explained
#
# `ok.inspect` runs explained rules over a clip's metadata, as it does for photos (for a
# video it calls `video_findings`): an encoder program beside a device name, metadata
# stripped, times that disagree, a creation time at night at the GPS position...

# %%
for path in clips:
    print(path.name)
    for finding in ok.inspect(path):
        print(f"   [{finding.severity}] {finding.code}: {finding.title}")

# %% [markdown]
# The phone's clip raises nothing. The edited copy names an iPhone **and** FFmpeg: a
# device file written again by a program (`video_reencoded`). The re-upload names only
# FFmpeg and has no time, device or position: typical of a platform's copy
# (`video_software_encoded`, `video_metadata_stripped`). The unrelated clip looks the same
# as the re-upload to these rules: findings say where to look, not what happened.

# %%
print(ok.inspect(edited)[0].explanation)

# %% [markdown]
# ## Keyframes and a contact sheet
#
# `keyframes` decodes the clip read-only (in the kit's isolated worker, bounded in frames,
# pixels and seconds) and writes its keyframes as PNG **working copies** into a working
# folder, never beside the evidence. Each frame records its time and the clip's SHA-256.

# %%
frames = ok.keyframes(phone, WORK / "frames")
ok.frames_table(frames)[["index", "time_s", "key", "width", "height", "reason", "sha256"]]

# %%
ok.contact_sheet(frames, columns=3)

# %% [markdown]
# Three keyframes, at 0, 2 and 4 seconds: the phone clip has one every 50 frames. Every
# image tool of the kit works on these PNGs (hashes, ELA, the daylight check, a crop for a
# search engine below).
#
# ## Near-duplicate copies, grouped
#
# A clip's fingerprint is the perceptual hash of a frame every 0.2 s (and of each
# keyframe). Copies that share a run of similar frames at one time offset are grouped: a
# resize or a re-encode changes few bits, a trim shifts the offset.

# %%
fingerprints = ok.video_fingerprints(clips)
groups = ok.near_duplicate_videos(fingerprints, include_singletons=True)
groups.assign(video=groups["video"].map(lambda p: p.rsplit("/", 1)[-1]),
              matched_with=groups["matched_with"].map(
                  lambda p: p.rsplit("/", 1)[-1] if isinstance(p, str) else p))[
    ["video", "group", "matched_with", "frames_matched", "share", "offset_s"]]

# %% [markdown]
# The phone clip, the re-upload and the edit form one group; the other scene stands alone.
# The re-upload's `offset_s` of about one second is the trim: its time t shows what the
# clip it matched shows at t + 1 s. A group says the frames look alike, not who copied whom:
# the metadata and the findings above say which copy is closer to the device.
#
# ## A photo that is a frame of the clip
#
# Someone posts a still picture: a screenshot of the clip, made here from the clip itself
# (the kit's own frame extraction at a time we do not print, saved as a smaller JPEG).

# %%
grab = ok.keyframes(phone, WORK / "grab", every=SECONDS * 0.77, iframes=False)[-1]
photo = EVIDENCE / "GENERATED_posted_photo.jpg"
with Image.open(grab.path) as picture:  # a working copy, not evidence
    picture.convert("RGB").resize((400, 225)).save(photo, quality=80)
print(photo.name, photo.stat().st_size, "bytes")

# %% [markdown] tags=["exercise"]
# **Exercise 9.2** The photo is a frame of the phone's clip (and so of its copies). At
# which moment of the phone's clip, in seconds from its start? Use
# `ok.frame_matches([photo], fingerprints)`.

# %% tags=["solution"]
matches = ok.frame_matches([photo], fingerprints)
photo_time = float(matches.iloc[0]["time_s"])
ok.check("video_photo_time", photo_time)

# %% [markdown]
# The worked result: the photo is linked to the phone clip and to its copies, with the
# time of the closest sampled frame (the re-upload's time is one second earlier: it lacks
# the first second).

# %%
matches = ok.frame_matches([photo], fingerprints)
matches.assign(video=matches["video"].map(lambda p: p.rsplit("/", 1)[-1]))[
    ["video", "time_s", "distance", "time_uncertainty_s", "explanation"]]

# %% [markdown]
# ## Reverse search: links built offline, and what uploading discloses
#
# To find where else a frame appears, researchers search it on Google Lens, Yandex, Bing
# or TinEye. The kit never searches by itself: `search_links` only builds the addresses.
# With no image URL they are the engines' upload pages; with the address of a picture that
# is already public, the engine fetches it. Read the warning above the links.

# %%
HTML(search_links_html(ok.search_links()))

# %% [markdown]
# Search a **crop** of the detail you need rather than the whole frame, and never upload
# the evidence file: `crop_image` writes a PNG of one region of a working copy, pixels only
# (no metadata), into the working folder.

# %%
crop = ok.crop_image(frames[1].path, (0.25, 0.25, 0.5, 0.5), WORK)
with Image.open(crop) as cut:
    print(crop.name, cut.size, "| metadata in the PNG:", cut.info or "none")
for link in ok.search_links("https://example.org/teaching/frame.png"):
    print(link)

# %% [markdown]
# The four links printed last ask each engine to fetch
# `https://example.org/teaching/frame.png` (a picture supposed to be public already): the
# address is percent-encoded as one value, and nothing was opened to make them.
#
# ## Custody: hashes before and after
#
# In a case the clip is taken in like a photo: read-only, hashed (SHA-256, MD5) at intake,
# stored as a read-only copy, its metadata read and its findings made from the stored
# copy. `add_keyframes` takes the keyframes in as **working copies** linked to the clip:
# each custody entry (`derive`) names the clip's SHA-256 and the frame's time.

# %%
case = ok.Case.create(OUT / "case", title="09 video evidence (generated teaching clip)")
item = case.add_evidence(phone, acquired_from="generated in notebook 09 (teaching clip)")
kept = case.add_keyframes(item.id)
log = case.custody()
log.assign(sha256=log["details"].map(lambda d: (d or {}).get("sha256", "")[:16]),
           frame_of=log["details"].map(lambda d: (d or {}).get("from_sha256", "")[:16]),
           frame_time_s=log["details"].map(lambda d: (d or {}).get("frame_time_s")))[
    ["seq", "action", "record_id", "sha256", "frame_of", "frame_time_s"]]

# %%
print("sha256 at the start:", PHONE_SHA256)
print("sha256 now:         ", sha256(phone))
print("case intake:        ", item.sha256)
print("unchanged:", sha256(phone) == PHONE_SHA256 == item.sha256, "| verify():",
      case.verify().summary())
html_report, _md = case.report(OUT / "video_report.html")
print("report:", html_report.name)
case.close()

# %% [markdown]
# All the reading, decoding, fingerprinting and the case intake left the clip
# byte-identical. The frames taken into the case have the same SHA-256 as the keyframes
# extracted earlier from the original: the stored copy decodes to the same pixels. The case report (`video_report.html`) shows the clip with its metadata,
# each value with the box or tag it came from, its findings (none for this clip, as above)
# and a contact sheet of the three keyframes.
#
# **Limits to keep in mind.** Container metadata is easy to strip, rewrite or forge: a
# finding says where to look, never what happened. Times need a decision about the clock.
# Similar frames mean similar pictures, not a common source (the same static scene filmed
# twice matches too). And a search engine learns what you search.
#
# More in `docs/video.md`.
