-- 004: the audio library (流程管理 > 音频, docs/audio.md). A file uploaded in
-- the console is kept twice in the audio folder shared with the B2BUA, under
-- names the plugin makes (never the upload's): `filename` converted to what
-- rtpengine plays (8 kHz mono 16-bit PCM WAV), `original_file` as it came.
-- The format facts are the original's; `size` is the converted file's.
-- Rows without facts (the system prompts made at build time) get them the
-- first time the console reads their file.
SET NAMES utf8mb4;

ALTER TABLE cc_audio
  ADD COLUMN IF NOT EXISTS description VARCHAR(255) NOT NULL DEFAULT '' AFTER name,
  ADD COLUMN IF NOT EXISTS source ENUM('system','upload','tts') NOT NULL DEFAULT 'system' AFTER kind,
  ADD COLUMN IF NOT EXISTS original_file VARCHAR(64) DEFAULT NULL AFTER filename,
  ADD COLUMN IF NOT EXISTS original_name VARCHAR(255) NOT NULL DEFAULT '' AFTER original_file,
  ADD COLUMN IF NOT EXISTS codec ENUM('pcm','alaw','ulaw') DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS sample_rate INT UNSIGNED DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS channels TINYINT UNSIGNED DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS bits TINYINT UNSIGNED DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS size INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS original_size INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS uploaded_by VARCHAR(64) NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS tts_voice VARCHAR(16) DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS tts_text VARCHAR(500) DEFAULT NULL,
  ADD COLUMN IF NOT EXISTS updated_at DATETIME DEFAULT NULL,
  ADD INDEX IF NOT EXISTS name_idx (name),
  ADD INDEX IF NOT EXISTS created_idx (created_at),
  ADD UNIQUE INDEX IF NOT EXISTS original_file_idx (original_file);
