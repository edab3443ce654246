"""Web archives and channel exports: WARC/WACZ, Telegram Desktop exports, yt-dlp sidecars."""
