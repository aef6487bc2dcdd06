-- Consent (api.md Part 2, "Consent"): suppressions as a list of their own, customers.opted_out kept
-- equal to "a channel-null suppression of the phone exists" in both directions, suppressed phones
-- cancelled at claim, inbound messages with their keyword and customer, and the confirmations a
-- keyword asks for (an outbox the worker sends through the channel's provider chain).

-- Suppressions ----------------------------------------------------------------------------------------

-- A phone that must not be messaged: on one channel, or on every channel (channel NULL). Kept by phone,
-- not customer, so a suppression outlives the customer (a deleted and re-imported customer stays out).
CREATE TABLE suppressions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phone       text        NOT NULL,
    channel     text        NULL CHECK (channel IN ('sms', 'whatsapp')),
    source      text        NOT NULL CHECK (source IN ('api', 'keyword', 'provider')),
    reason      text        NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- One per phone, channel and source; also how sends, claims and customers find a phone's suppressions.
CREATE UNIQUE INDEX idx_suppressions_phone ON suppressions (phone, coalesce(channel, ''), source);

-- customers.opted_out is true exactly when a channel-null suppression of the phone exists.
CREATE FUNCTION sync_opted_out(p_phones text[]) RETURNS void LANGUAGE sql AS $$
    UPDATE customers u SET opted_out = x.suppressed, updated_at = now()
    FROM (SELECT DISTINCT p.phone,
                 EXISTS (SELECT 1 FROM suppressions s WHERE s.phone = p.phone AND s.channel IS NULL) AS suppressed
          FROM unnest(p_phones) AS p(phone)) x
    WHERE u.phone = x.phone AND u.opted_out <> x.suppressed
$$;

-- Suppresses the phones on a channel (NULL: every channel) from a source; one already there stays as it
-- was. Customers follow. Returns how many were added. NULL phones: nothing.
CREATE FUNCTION add_suppressions(p_phones text[], p_channel text, p_source text, p_reason text) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    added int;
BEGIN
    INSERT INTO suppressions (phone, channel, source, reason)
    SELECT DISTINCT p.phone, p_channel, p_source, p_reason FROM unnest(p_phones) AS p(phone) WHERE p.phone IS NOT NULL
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    IF added > 0 AND p_channel IS NULL THEN
        PERFORM sync_opted_out(p_phones);
    END IF;
    RETURN added;
END
$$;

-- Lifts the phones' suppressions of the given sources (NULL: any), on one channel (NULL: the every-channel
-- ones) or, with p_every_channel, on all. Customers follow. Returns how many were removed.
CREATE FUNCTION remove_suppressions(p_phones text[], p_channel text, p_every_channel boolean, p_sources text[]) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    removed int;
BEGIN
    DELETE FROM suppressions s
    WHERE s.phone = ANY(p_phones)
      AND (p_every_channel OR s.channel IS NOT DISTINCT FROM p_channel)
      AND (p_sources IS NULL OR s.source = ANY(p_sources));
    GET DIAGNOSTICS removed = ROW_COUNT;
    IF removed > 0 THEN
        PERFORM sync_opted_out(p_phones);
    END IF;
    RETURN removed;
END
$$;

-- Writes of customers.opted_out by the API (create, PATCH, import) are requests about the api source:
-- true adds an api suppression (unless the phone already has an every-channel one), false removes the
-- api ones only. The row then reads what the suppressions say, so a STOP or a provider opt-out keeps it
-- true until START or DELETE /suppressions. Row by row and BEFORE, so an update's RETURNING already reads
-- the outcome, but only for rows that need it (an insert opting out; an update changing opted_out or the
-- phone): a bulk import of customers who do not opt out pays nothing per row. sync_opted_out's own
-- updates pass through here and change nothing more.
CREATE FUNCTION customer_opt_out_follows_suppressions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.opted_out AND NOT NEW.opted_out THEN
        DELETE FROM suppressions WHERE phone = OLD.phone AND channel IS NULL AND source = 'api';
    END IF;
    IF NEW.opted_out AND (TG_OP = 'INSERT' OR NOT OLD.opted_out OR OLD.phone <> NEW.phone) THEN
        INSERT INTO suppressions (phone, source, reason)
        SELECT NEW.phone, 'api', 'opted out'
        WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.phone = NEW.phone AND s.channel IS NULL)
        ON CONFLICT DO NOTHING;
    ELSIF NOT NEW.opted_out THEN
        NEW.opted_out := EXISTS (SELECT 1 FROM suppressions s WHERE s.phone = NEW.phone AND s.channel IS NULL);
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER customers_opting_out BEFORE INSERT ON customers
    FOR EACH ROW WHEN (NEW.opted_out) EXECUTE FUNCTION customer_opt_out_follows_suppressions();
CREATE TRIGGER customers_opt_out_changed BEFORE UPDATE OF opted_out, phone ON customers
    FOR EACH ROW WHEN (OLD.opted_out IS DISTINCT FROM NEW.opted_out OR OLD.phone IS DISTINCT FROM NEW.phone)
    EXECUTE FUNCTION customer_opt_out_follows_suppressions();

-- New customers whose phone was suppressed before they existed (suppressions outlive customers) read
-- opted out: one set-based update per insert statement, after it (read the rows again to see it).
CREATE FUNCTION customers_inserted_with_suppressed_phones() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM sync_opted_out(ARRAY(
        SELECT n.phone FROM new_customers n
        WHERE NOT n.opted_out AND EXISTS (SELECT 1 FROM suppressions s WHERE s.phone = n.phone AND s.channel IS NULL)));
    RETURN NULL;
END
$$;

CREATE TRIGGER customers_suppressed_before_they_existed AFTER INSERT ON customers
    REFERENCING NEW TABLE AS new_customers
    FOR EACH STATEMENT EXECUTE FUNCTION customers_inserted_with_suppressed_phones();

-- Customers opted out before suppressions existed.
INSERT INTO suppressions (phone, source, reason, created_at)
SELECT phone, 'api', 'opted out', updated_at FROM customers WHERE opted_out
ON CONFLICT DO NOTHING;

-- Claims: a suppressed phone is cancelled, never sent -----------------------------------------------

-- Why a message to this customer on this channel must not go (NULL: it may): opted out (an every-channel
-- suppression), or the phone suppressed on the channel. The reason is the cancelled message's last_error.
CREATE FUNCTION blocked_reason(p_opted_out boolean, p_phone text, p_channel text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_opted_out THEN 'customer opted out'
                WHEN EXISTS (SELECT 1 FROM suppressions s WHERE s.phone = p_phone AND s.channel = p_channel)
                    THEN 'phone suppressed on ' || p_channel
           END
$$;

-- As 0011, and a phone suppressed on the campaign's channel after the send is cancelled like an opted-out one.
CREATE OR REPLACE FUNCTION claim_messages(p_message_ids bigint[], p_queued_at timestamptz[], p_lease interval, p_send_trace text DEFAULT NULL)
RETURNS TABLE (id bigint, campaign_id bigint, retry_count int, rendered_content text, channel text, phone text, status text,
               attempt_provider text, attempt_unknown boolean, template_parameters text[], whatsapp_template jsonb)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
BEGIN
    PERFORM share_campaigns_of_messages(p_message_ids);
    RETURN QUERY
    WITH claimed AS (
    UPDATE outbound_messages m
    SET status = CASE WHEN b.reason IS NOT NULL THEN 'cancelled' ELSE 'sending' END,
        last_error = coalesce(b.reason, m.last_error),
        next_attempt_at = CASE WHEN b.reason IS NOT NULL THEN now() ELSE now() + p_lease END,
        queued_at = NULL,
        send_trace = CASE WHEN b.reason IS NOT NULL THEN m.send_trace ELSE coalesce(p_send_trace, m.send_trace) END,
        updated_at = now()
    FROM unnest(p_message_ids, p_queued_at) AS j(id, queued_at), campaigns c, customers u,
         -- OFFSET 0: worked out once per message, not once per expression that reads it.
         LATERAL (SELECT blocked_reason(u.opted_out, u.phone, c.channel) AS reason OFFSET 0) b
    WHERE m.id = j.id
      AND CASE WHEN m.status = 'pending' THEN true ELSE false END
      AND m.queued_at = j.queued_at
      AND c.id = m.campaign_id + 0 AND c.status = 'sending'
      AND u.id = m.customer_id + 0
    RETURNING m.id, m.campaign_id, m.retry_count, m.rendered_content, c.channel, u.phone, m.status,
              m.attempt_provider, m.attempt_unknown, m.template_parameters, c.whatsapp_template, b.reason),
    evented AS (
        INSERT INTO message_events (message_id, type, detail)
        SELECT claimed.id, CASE WHEN claimed.status = 'sending' THEN 'claimed' ELSE 'cancelled' END,
               CASE WHEN claimed.status = 'sending' THEN 'attempt ' || (claimed.retry_count + 1) ELSE claimed.reason END
        FROM claimed),
    counted AS (
        SELECT count_status_moves(array_agg(claimed.campaign_id), 'pending', array_agg(claimed.status)) FROM claimed)
    SELECT claimed.id, claimed.campaign_id, claimed.retry_count, claimed.rendered_content, claimed.channel, claimed.phone,
           claimed.status, claimed.attempt_provider, claimed.attempt_unknown, claimed.template_parameters, claimed.whatsapp_template
    FROM claimed, counted;
END
$$;

-- Retry-failed: a failed message whose customer opted out or whose phone is suppressed on the channel
-- since is cancelled, counted apart (the answer's skip counters); as 0011 otherwise.
DROP FUNCTION retry_failed_campaign(bigint);
CREATE FUNCTION retry_failed_campaign(p_campaign_id bigint)
RETURNS TABLE (retried boolean, message_ids bigint[], queued_at timestamptz, skipped_opted_out int, skipped_suppressed int)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    PERFORM fold_campaign_tallies(ARRAY[p_campaign_id]);
    UPDATE campaigns SET status = 'sending', updated_at = now()
    WHERE id = p_campaign_id AND status IN ('sent', 'failed') AND failed_count > 0;
    IF NOT FOUND THEN
        RETURN QUERY SELECT false, '{}'::bigint[], now(), 0, 0;
        RETURN;
    END IF;
    RETURN QUERY
        WITH retried AS (
            UPDATE outbound_messages m
            SET status = CASE WHEN b.reason IS NULL THEN 'pending' ELSE 'cancelled' END,
                retry_count = CASE WHEN b.reason IS NULL THEN 0 ELSE m.retry_count END,
                queued_at = CASE WHEN b.reason IS NULL THEN now() END,
                updated_at = now()
            FROM customers u, campaigns c,
                 LATERAL (SELECT blocked_reason(u.opted_out, u.phone, c.channel) AS reason OFFSET 0) b
            WHERE m.campaign_id = p_campaign_id AND m.status = 'failed' AND u.id = m.customer_id AND c.id = p_campaign_id
            RETURNING m.id, m.campaign_id, m.status, b.reason, u.opted_out),
        evented AS (
            INSERT INTO message_events (message_id, type, detail)
            SELECT r.id, CASE WHEN r.status = 'pending' THEN 'queued' ELSE 'cancelled' END,
                   coalesce(r.reason, 'retry of failed messages')
            FROM retried r),
        counted AS (
            SELECT count_status_moves(array_agg(campaign_id), 'failed', array_agg(status)) FROM retried)
        SELECT true, coalesce(array_agg(r.id ORDER BY r.id) FILTER (WHERE r.status = 'pending'), '{}'), now(),
               (count(*) FILTER (WHERE r.status = 'cancelled' AND r.opted_out))::int,
               (count(*) FILTER (WHERE r.status = 'cancelled' AND NOT r.opted_out))::int
        FROM retried r, counted;
    PERFORM complete_campaigns(ARRAY[p_campaign_id]);
END
$$;

-- Provider opt-outs at send are suppressions with source provider: as 0011 otherwise.
CREATE OR REPLACE FUNCTION record_attempt_outcomes(
    p_ids bigint[], p_claimed_retry_counts int[], p_statuses text[], p_retry_counts int[], p_errors text[],
    p_delays interval[], p_only_expired_leases boolean,
    p_providers text[] DEFAULT NULL, p_provider_message_ids text[] DEFAULT NULL, p_error_codes text[] DEFAULT NULL,
    p_unknown boolean[] DEFAULT NULL, p_suppress_phone boolean[] DEFAULT NULL)
RETURNS TABLE (id bigint, campaign_id bigint, status text)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
    recorded_count int;
BEGIN
    PERFORM share_campaigns_of_messages(p_ids);
    RETURN QUERY
    WITH recorded AS (
    UPDATE outbound_messages m
    SET status = CASE WHEN i.status = 'pending' AND c.status = 'cancelled' THEN 'cancelled' ELSE i.status END,
        retry_count = i.retry_count,
        last_error = coalesce(i.error, m.last_error),
        next_attempt_at = CASE WHEN i.status = 'pending' THEN now() + i.delay ELSE now() END,
        queued_at = NULL,
        expired_claim = CASE WHEN p_only_expired_leases THEN i.claimed_retry_count END,
        provider = CASE WHEN i.status = 'sent' THEN i.provider ELSE m.provider END,
        provider_message_id = CASE WHEN i.status = 'sent' THEN i.provider_message_id ELSE m.provider_message_id END,
        sent_at = CASE WHEN i.status = 'sent' THEN now() ELSE m.sent_at END,
        error_code = CASE WHEN i.status = 'sent' THEN m.error_code ELSE coalesce(i.error_code, m.error_code) END,
        attempt_provider = coalesce(i.provider, m.attempt_provider),
        attempt_unknown = CASE WHEN i.provider IS NULL THEN m.attempt_unknown ELSE coalesce(i.unknown, false) END,
        updated_at = now()
    FROM unnest(p_ids, p_claimed_retry_counts, p_statuses, p_retry_counts, p_errors, p_delays,
                p_providers, p_provider_message_ids, p_error_codes, p_unknown, p_suppress_phone)
            AS i(id, claimed_retry_count, status, retry_count, error, delay, provider, provider_message_id, error_code, unknown, suppress),
         campaigns c
    WHERE m.id = i.id
      AND CASE WHEN m.status = 'sending' THEN true ELSE false END
      AND m.retry_count = i.claimed_retry_count
      AND (NOT p_only_expired_leases OR m.next_attempt_at < now())
      AND c.id = m.campaign_id + 0
    RETURNING m.id, m.campaign_id, m.status, m.customer_id, m.provider, m.provider_message_id, m.attempt_provider,
              m.last_error, i.claimed_retry_count, m.retry_count, coalesce(i.suppress, false) AS suppress),
    evented AS (
        INSERT INTO message_events (message_id, type, provider, detail)
        SELECT r.id, attempt_event_type(r.status, r.claimed_retry_count, r.retry_count),
               CASE WHEN r.status = 'sent' THEN r.provider ELSE r.attempt_provider END,
               CASE WHEN r.status = 'sent' THEN r.provider_message_id ELSE r.last_error END
        FROM recorded r
        WHERE attempt_event_type(r.status, r.claimed_retry_count, r.retry_count) IS NOT NULL),
    -- Not only receipts already waiting: one an applier is setting aside right now (uncommitted) is
    -- waited for and woken too, else it would wait for an id that is already recorded.
    woken AS (
        UPDATE provider_receipts pr SET waiting_since = NULL
        FROM recorded r
        WHERE r.status = 'sent' AND pr.provider = r.provider AND pr.provider_message_id = r.provider_message_id),
    -- A provider-side opt-out at send (Twilio 21610, Africa's Talking 406) suppresses the phone.
    suppressed AS (
        SELECT add_suppressions(array_agg(u.phone), NULL, 'provider', 'opted out at ' || min(r.attempt_provider)) AS added
        FROM recorded r JOIN customers u ON u.id = r.customer_id
        WHERE r.suppress),
    counted AS (
        SELECT count_status_moves(array_agg(recorded.campaign_id), 'sending', array_agg(recorded.status)) FROM recorded)
    SELECT recorded.id, recorded.campaign_id, recorded.status FROM recorded, counted, suppressed;
    GET DIAGNOSTICS recorded_count = ROW_COUNT;
    IF NOT p_only_expired_leases AND recorded_count < cardinality(p_ids) THEN
        RETURN QUERY SELECT * FROM record_late_outcomes(p_ids, p_claimed_retry_counts, p_statuses, p_retry_counts, p_errors, p_delays,
                                                        p_providers, p_provider_message_ids, p_error_codes, p_unknown);
    END IF;
END
$$;


-- Inbound messages and keywords ------------------------------------------------------------------------

-- POST /inbound has no provider; every stored message keeps the keyword it was and its customer, if any.
ALTER TABLE inbound_messages ALTER COLUMN provider DROP NOT NULL;
ALTER TABLE inbound_messages ADD COLUMN keyword text NULL CHECK (keyword IN ('stop', 'start', 'help'));
ALTER TABLE inbound_messages ADD COLUMN customer_id bigint NULL REFERENCES customers (id) ON DELETE SET NULL;
CREATE INDEX idx_inbound_messages_customer ON inbound_messages (customer_id) WHERE customer_id IS NOT NULL;

-- The confirmations keywords ask for, sent by the worker through the channel's provider chain.
CREATE TABLE consent_replies (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inbound_id          bigint      NULL REFERENCES inbound_messages (id) ON DELETE SET NULL,
    phone               text        NOT NULL,
    channel             text        NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
    body                text        NOT NULL,
    status              text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts            int         NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL DEFAULT now(),
    provider            text        NULL,
    provider_message_id text        NULL,
    last_error          text        NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    sent_at             timestamptz NULL
);
-- The worker's work list; the daily cap's look-up.
CREATE INDEX idx_consent_replies_due ON consent_replies (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX idx_consent_replies_phone ON consent_replies (phone, created_at DESC);

-- Stores inbound messages (a provider posting one again stores it once and acts once) with the keyword
-- the API recognised in each, then acts on each new one in order: stop suppresses the phone on every
-- channel (source keyword), start lifts the keyword suppressions; p_replies holds the confirmation to
-- send for each (NULL: none), queued unless the phone got one in the last day. Returns the new rows.
CREATE FUNCTION receive_inbound_messages(
    p_provider text, p_provider_message_ids text[], p_channels text[], p_from text[], p_to text[], p_bodies text[],
    p_keywords text[], p_replies text[])
RETURNS SETOF inbound_messages LANGUAGE plpgsql AS $$
DECLARE
    item record;
    received inbound_messages;
BEGIN
    -- One phone's keywords one request at a time: the reply cap and STOP-then-START order hold under concurrency.
    PERFORM pg_advisory_xact_lock(hashtext('consent:' || f.phone))
    FROM (SELECT DISTINCT phone FROM unnest(p_from) AS p(phone) ORDER BY phone) f;
    -- In the order they came (a request holds one message, or a few).
    FOR item IN
        SELECT * FROM unnest(p_provider_message_ids, p_channels, p_from, p_to, p_bodies, p_keywords, p_replies)
            WITH ORDINALITY AS m(id, channel, from_phone, to_phone, body, keyword, reply, n)
        ORDER BY m.n
    LOOP
        INSERT INTO inbound_messages (provider, provider_message_id, channel, from_phone, to_phone, body, keyword, customer_id)
        VALUES (p_provider, item.id, item.channel, item.from_phone, item.to_phone, item.body, item.keyword,
                (SELECT u.id FROM customers u WHERE u.phone = item.from_phone))
        ON CONFLICT (provider, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
        RETURNING * INTO received;
        CONTINUE WHEN NOT FOUND;
        IF received.keyword = 'stop' THEN
            PERFORM add_suppressions(ARRAY[received.from_phone], NULL, 'keyword', upper(btrim(received.body)));
        ELSIF received.keyword = 'start' THEN
            PERFORM remove_suppressions(ARRAY[received.from_phone], NULL, false, ARRAY['keyword']);
        END IF;
        IF item.reply IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM consent_replies c WHERE c.phone = received.from_phone AND c.created_at > now() - interval '1 day') THEN
            INSERT INTO consent_replies (inbound_id, phone, channel, body)
            VALUES (received.id, received.from_phone, received.channel, item.reply);
        END IF;
        RETURN NEXT received;
    END LOOP;
END
$$;

-- The worker takes due confirmations (one whose send was cut short by a crash is due again when its
-- lease ends), each attempt counted when taken.
CREATE FUNCTION claim_consent_replies(p_limit int, p_lease interval)
RETURNS TABLE (id bigint, phone text, channel text, body text, attempts int) LANGUAGE sql AS $$
    UPDATE consent_replies c
    SET status = 'sending', attempts = c.attempts + 1, next_attempt_at = now() + p_lease
    WHERE c.id IN (SELECT d.id FROM consent_replies d
                   WHERE d.status IN ('pending', 'sending') AND d.next_attempt_at <= now()
                   ORDER BY d.next_attempt_at LIMIT p_limit FOR UPDATE SKIP LOCKED)
    RETURNING c.id, c.phone, c.channel, c.body, c.attempts
$$;

-- Records what the provider said, for claims still held (the attempt count fences a stale answer):
-- sent, failed, or pending again after p_delays.
CREATE FUNCTION record_consent_replies(
    p_ids bigint[], p_attempts int[], p_statuses text[], p_providers text[], p_provider_message_ids text[], p_errors text[],
    p_delays interval[])
RETURNS int LANGUAGE sql AS $$
    WITH recorded AS (
        UPDATE consent_replies c
        SET status = o.status,
            provider = coalesce(o.provider, c.provider),
            provider_message_id = o.provider_message_id,
            last_error = o.error,
            sent_at = CASE WHEN o.status = 'sent' THEN now() END,
            next_attempt_at = now() + coalesce(o.delay, interval '0')
        FROM unnest(p_ids, p_attempts, p_statuses, p_providers, p_provider_message_ids, p_errors, p_delays)
            AS o(id, attempts, status, provider, provider_message_id, error, delay)
        WHERE c.id = o.id AND c.attempts = o.attempts AND c.status = 'sending'
        RETURNING 1)
    SELECT count(*)::int FROM recorded
$$;

-- Inbound messages are stored by receive_inbound_messages only.
DROP FUNCTION store_inbound_messages(text, text[], text[], text[], text[], text[]);
