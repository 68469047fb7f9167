-- Issue 18 (PIPE-8): a role's per-stage hold quota — the most customers one person of
-- the role may hold in stages of that role (NULL: no limit). Keep in step with
-- sqlite/0029_stage_quotas.sql.
ALTER TABLE role_stage_rights ADD COLUMN hold_quota BIGINT;
