-- 007_files.sql: uploaded files (photos of reports and feedback), addressed
-- by their content: the id is the SHA-256 of the bytes in lower-case hex, so
-- the same bytes are stored once. Cases refer to them in `attachments` as
-- "/api/v1/files/<id>" (docs/api.md "Files"). Rows are never changed.
CREATE TABLE files (
  id         TEXT PRIMARY KEY,                 -- SHA-256 of data, 64 hex digits
  type       TEXT NOT NULL,                    -- image/jpeg, image/png or image/webp
  size       INTEGER NOT NULL CHECK (size > 0),-- bytes
  data       BLOB NOT NULL,                    -- the file
  created_at INTEGER NOT NULL,                 -- first upload, unix seconds UTC
  created_by INTEGER REFERENCES users(id)      -- who uploaded it first (NULL: the system)
);
