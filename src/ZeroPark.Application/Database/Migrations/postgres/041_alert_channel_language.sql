-- The language (zh | en) a channel's notifications are written in: zh by default.
ALTER TABLE alert_channels ADD COLUMN language TEXT NOT NULL DEFAULT 'zh';
