-- A request made while the job of its kind and key runs (issue 17): the run that is
-- going read the old state, so the job is queued again when that run ends.
ALTER TABLE jobs ADD COLUMN rerun INTEGER NOT NULL DEFAULT 0;
