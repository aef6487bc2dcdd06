-- auto_translate (issue #16, api.md Part 2 "Personalization"): the audience's languages without a translation get the
-- language model's translation of the template, asked once per language per campaign at the send.

ALTER TABLE campaigns ADD COLUMN auto_translate boolean NOT NULL DEFAULT false;

-- The model's answers, language → template, or → null where the untranslated template is used (the answer broke a rule
-- or the model failed): a resend or preview reuses them and never asks again. Kept apart from the user's translations.
ALTER TABLE campaigns ADD COLUMN auto_translations jsonb;

-- For reads of campaigns and of campaign_totals alike (kept out of the view, which other features also extend).
CREATE FUNCTION campaign_auto_translate(campaign_id bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT auto_translate FROM campaigns WHERE id = campaign_id
$$;

CREATE FUNCTION campaign_auto_translations(campaign_id bigint) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT auto_translations FROM campaigns WHERE id = campaign_id
$$;
