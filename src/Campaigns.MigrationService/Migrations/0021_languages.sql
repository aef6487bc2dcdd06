-- Languages (issue #16): a customer's language, a campaign's translations and the language of its base_template, and
-- the language of the template each message was rendered from (api.md, "Variants, links and languages").

-- A BCP 47 primary language subtag, stored lowercase (the API lowercases it): en, sw, fr, haw. Null: derived at send
-- time from the phone's region (Languages:Regions), else the campaign's default_language.
ALTER TABLE customers ADD COLUMN language text NULL CHECK (language ~ '^[a-z]{2,3}$');

-- { "<language>": "<template>" }, each validated like base_template by the API.
ALTER TABLE campaigns ADD COLUMN translations jsonb NULL;
ALTER TABLE campaigns ADD COLUMN default_language text NOT NULL DEFAULT 'en' CHECK (default_language ~ '^[a-z]{2,3}$');

-- Null for messages written before this migration.
ALTER TABLE outbound_messages ADD COLUMN language text NULL;

-- The same view, translations and default_language added at the end.
CREATE OR REPLACE VIEW campaign_totals AS
SELECT c.id, c.name, c.channel, c.status, c.base_template, c.scheduled_at, c.audience_attached_at,
       c.whatsapp_template, c.created_at, c.updated_at, c.send_window, c.validity, c.valid_until,
       c.total_count + coalesce(t.total_count, 0)             AS total_count,
       c.pending_count + coalesce(t.pending_count, 0)         AS pending_count,
       c.sending_count + coalesce(t.sending_count, 0)         AS sending_count,
       c.sent_count + coalesce(t.sent_count, 0)               AS sent_count,
       c.delivered_count + coalesce(t.delivered_count, 0)     AS delivered_count,
       c.undelivered_count + coalesce(t.undelivered_count, 0) AS undelivered_count,
       c.failed_count + coalesce(t.failed_count, 0)           AS failed_count,
       c.cancelled_count + coalesce(t.cancelled_count, 0)     AS cancelled_count,
       c.expired_count + coalesce(t.expired_count, 0)         AS expired_count,
       c.read_count + coalesce(t.read_count, 0)               AS read_count,
       c.clicked_count + coalesce(t.clicked_count, 0)         AS clicked_count,
       c.track_links,
       c.translations,
       c.default_language
FROM campaigns c
LEFT JOIN LATERAL (
    SELECT sum(total_count)::int AS total_count, sum(pending_count)::int AS pending_count,
           sum(sending_count)::int AS sending_count, sum(sent_count)::int AS sent_count,
           sum(delivered_count)::int AS delivered_count, sum(undelivered_count)::int AS undelivered_count,
           sum(failed_count)::int AS failed_count, sum(cancelled_count)::int AS cancelled_count,
           sum(expired_count)::int AS expired_count, sum(read_count)::int AS read_count,
           sum(clicked_count)::int AS clicked_count
    FROM campaign_tallies WHERE campaign_id = c.id
) t ON true;
