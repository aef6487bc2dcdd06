-- AI personalization (issue #16): a campaign may have each message written by the configured language model
-- (api.md Part 2, "Personalization"). The worker writes the model's text (or keeps the plain rendering) just
-- before the provider call, and records which one went: a retry reuses it and never asks the model again.

-- { "mode": "ai", "instructions": "…", "max_length": 120 | null }; null: no personalization.
ALTER TABLE campaigns ADD COLUMN personalization jsonb;

-- null: not personalized (yet); 'ai': rendered_content is the model's text; 'fallback': the plain rendering went.
ALTER TABLE outbound_messages ADD COLUMN personalization text
    CONSTRAINT outbound_messages_personalization_check CHECK (personalization IN ('ai', 'fallback'));

-- A campaign's personalization, for reads of campaigns and of campaign_totals alike (kept out of the view, which
-- variants and languages also extend).
CREATE FUNCTION campaign_personalization(campaign_id bigint) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT personalization FROM campaigns WHERE id = campaign_id
$$;
