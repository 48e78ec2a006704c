"""The support-agent console: sign-in, risk queue, transcripts, reviews, dashboards, exports."""
