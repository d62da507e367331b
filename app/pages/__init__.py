"""Public web pages for people who would rather look than read JSON: server-rendered HTML from
the same reads as the API, in the anonymous view, with charts as SVG beside their data."""
