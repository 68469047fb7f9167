-- Per-user request counters for rate-limited operations (the duplicate check), one row
-- per (limit, user, window), kept in the database so a limit holds across app nodes.
-- Keep in step with the other dialect's 0011_access_rate_limits.sql.

CREATE TABLE rate_counters (
    bucket TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (bucket, user_id, window_start)
);
CREATE INDEX rate_counters_window ON rate_counters (window_start);
