-- The article whose fields shown with search hits (title, URL, source,
-- published date, text) changed, on the change-log entries that such an
-- article update logs for each of its annotations (annotation.Change.Article),
-- so that servers following the log reload the fields they cache; NULL on
-- other entries.
ALTER TABLE changes ADD COLUMN article_id text;
