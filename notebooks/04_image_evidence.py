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
# # 04 · Image evidence: what do the files say about themselves?
#
# `examples/evidence/` holds five image files. **All five are RECONSTRUCTIONS FOR
# TEACHING** made by `examples/make_reconstructions.py` (the released images are not
# available offline); each says so in its metadata and in its pixels. They behave like the
# files a researcher receives: an agency photo of the briefing, a re-post of it from a
# social network, an edited copy, and two overhead views.
#
# Evidence files are only ever **read**: osint_kit opens them read-only and the test suite
# checks their hashes before and after.

# %%
# %matplotlib inline
import osint_kit as ok
from osint_kit.display.media import side_by_side
from osint_kit.workshop.casefiles import find_examples, load_example_case

case = load_example_case(find_examples())
EVIDENCE = case.evidence_dir

# %% [markdown]
# ## Scan the folder
#
# One row per file, a stable set of columns, an `error` column for files that cannot be
# read (a batch never dies on one bad file).

# %%
files = ok.scan(EVIDENCE, workers=0, progress=False)
files[["file_name", "width", "height", "datetime_original", "offset_original",
       "iptc_credit", "has_exif", "has_iptc", "has_xmp", "has_thumbnail", "error"]]

# %% [markdown]
# ## One file in detail
#
# The agency-style photo carries a capture time **with its offset** (`-05:00`, Washington
# in January), an IPTC by-line and credit (a **fictional** photographer, styled like the
# article's "PAP/EPA/..." credit) and a caption that says what the file is.

# %%
agency = ok.read_metadata(EVIDENCE / "briefing_agency_photo_reconstruction.jpg")
agency

# %%
print("capture time:", agency.datetime_original, "| offset:", agency.offset_original)
print("in UTC:      ", agency.datetime_original_utc)
print("provenance:  ", agency.provenance.get("datetime_original"))

# %% [markdown]
# ## Near-duplicates: find the re-posted copy
#
# Cryptographic hashes (SHA-256) change with every byte; **perceptual hashes** change only
# when the picture changes. Files whose perceptual hashes are a few bits apart show the
# same picture, however they were resized or re-encoded.

# %%
hashes = ok.perceptual_hashes(sorted(EVIDENCE.glob("*.jpg")), workers=0, progress=False)
groups = ok.near_duplicates(hashes, include_singletons=True)
groups.assign(file=groups["path"].map(lambda p: p.rsplit("/", 1)[-1]))[
    ["file", "cluster", "cluster_size", "nearest_distance", "sha256"]]

# %% [markdown]
# Two clusters. The two overhead views are near-duplicates of each other: **same place,
# same viewpoint, different day** (a near-duplicate is not always a copy). The other
# cluster pairs two briefing files: the same picture with different SHA-256. Which one is
# the re-post? Look at size, dimensions and metadata: the `files` table has the columns
# `file_size`, `width`, `height`, `has_exif`, `has_iptc`, `has_xmp`. (The third briefing
# file stands alone: keep it in mind for later.)

# %% [markdown] tags=["exercise"]
# **Exercise 4.1** Which file is the re-posted social-media copy? Give its file name (with
# or without `.jpg`).

# %% tags=["solution"]
briefing = files[files["file_name"].str.startswith("briefing")]
reposted = briefing.loc[~briefing["has_exif"].astype(bool), "file_name"].iloc[0]
ok.check("reposted_copy", reposted)

# %% [markdown]
# The worked result: the briefing files side by side.

# %%
briefing = files[files["file_name"].str.startswith("briefing")]
briefing[["file_name", "file_size", "width", "height", "has_exif", "has_iptc", "has_xmp"]]

# %% [markdown]
# The re-post lost its EXIF, IPTC and XMP (social networks strip them), was resized and
# re-encoded. Only a JPEG comment naming it as a reconstruction is left: we put it there so
# that even this file labels itself.

# %%
ok.read_metadata(EVIDENCE / "briefing_reposted_social_copy_reconstruction.jpg").raw

# %% [markdown]
# ## Findings: what each file says about itself, explained
#
# `inspect` runs a set of explained rules over one file: editing software, dates that
# disagree, stripped metadata, an embedded preview that no longer matches the picture...

# %%
for path in sorted(EVIDENCE.glob("briefing_*.jpg")):
    print(path.name)
    for finding in ok.inspect(path):
        print(f"   [{finding.severity}] {finding.code}: {finding.title}")

# %% [markdown]
# ## The edited copy: software, history, a stale thumbnail
#
# The third briefing file has the same camera fields, but its `Software` and XMP history
# say it went through an editor, and its modification time is a day after the capture.

# %%
edited_path = EVIDENCE / "briefing_edited_copy_reconstruction.jpg"
edited = ok.read_metadata(edited_path)
print("modified:   ", edited.datetime_modified, edited.offset_modified)
print("captured:   ", edited.datetime_original)

# %% [markdown] tags=["exercise"]
# **Exercise 4.2** Which software edited the file? `edited` holds its metadata: look for
# the field that names the software (or the XMP history, `edited.xmp_history`).

# %% tags=["solution"]
edited_software = edited.software
ok.check("edited_software", edited_software)

# %% [markdown]
# The worked result: the software and the editing history.

# %%
print("software:   ", edited.software)
for step in edited.xmp_history:
    print("history:    ", step)
print("thumbnail:  ", edited.thumbnail_bytes_len, "bytes embedded")

# %% [markdown]
# Cameras embed a small preview (the EXIF thumbnail). Many editors save the picture but
# leave the old preview in place: a **stale thumbnail** shows the picture *before* the
# edit. Here it has a different shape (the edit cropped the right edge) and different
# content.

# %%
print(ok.compare_thumbnail(edited_path))
ok.thumbnail_vs_image(edited_path)

# %% [markdown]
# ## Error level analysis (ELA)
#
# ELA re-saves the JPEG and shows where it changes most. Regions that were already
# compressed many times at this quality change little; content **pasted in since the last
# save** stands out. Compare the original agency file with the edited copy: in the edited
# copy the box around the date on the screen shows as a lighter, grainy rectangle, while
# the rest of the picture looks the same in both. (ELA is a hint to look closer, never
# proof on its own: edges and text are bright in any image.)

# %%
agency_path = EVIDENCE / "briefing_agency_photo_reconstruction.jpg"
side_by_side([ok.ela(agency_path), ok.ela(edited_path)],
             ["ELA: agency photo", "ELA: edited copy"], figsize=(11, 4))

# %% [markdown] tags=["exercise"]
# **Exercise 4.3** Compare the edited copy with its own embedded thumbnail: what date does
# the screen show in the edited picture? (Copy it as written on the screen.)

# %% tags=["solution"]
edited_screen_date = "OCT 18, 2022"
ok.check("edited_screen_date", edited_screen_date)

# %% [markdown]
# The thumbnail still says **NOV 18**: the edit moved the date by a month, the same "18
# October" error that one relayed report made by accident (notebook 03). A stale thumbnail
# does not say *who* edited the file, only that the pixels changed after the camera wrote
# the preview.

# %% [markdown]
# Next: **05 · Place and time**.
