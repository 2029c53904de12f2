-- Release notes: the release's own lines and each component's, as the plan
-- file writes them (a JSON list of {category, text}), '[]' when there are none.
ALTER TABLE releases ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
-- The answers to the post-release review's questions, as the plan file writes
-- them (a JSON list of {question, answer}).
ALTER TABLE releases ADD COLUMN retrospective TEXT NOT NULL DEFAULT '[]';
ALTER TABLE components ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
