-- A recipient's keyword reply (STOP, START, HELP and their synonyms) shows on the customer's messages: a
-- provider_status event (the contract's type for what a provider reports that moves no status) on each of their
-- messages created in the last 24 hours, the ones a reply may answer, and always on their latest. The detail says
-- what the reply did; the STOP itself acts through the suppressions (its messages still pending are cancelled at
-- their claims, with a cancelled event of their own).
CREATE FUNCTION record_keyword_events(p_inbound inbound_messages) RETURNS void LANGUAGE sql AS $$
    INSERT INTO message_events (message_id, type, provider, detail)
    SELECT m.id, 'provider_status', p_inbound.provider,
           'recipient replied ' || upper(btrim(p_inbound.body)) || CASE p_inbound.keyword
               WHEN 'stop' THEN ': suppressed on every channel'
               WHEN 'start' THEN ': keyword suppression lifted'
               ELSE ': asked for help' END
    FROM outbound_messages m
    WHERE m.customer_id = p_inbound.customer_id
      AND (m.created_at > now() - interval '1 day'
           OR m.id = (SELECT max(l.id) FROM outbound_messages l WHERE l.customer_id = p_inbound.customer_id));
$$;

CREATE OR REPLACE FUNCTION receive_inbound_messages(
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
        IF received.keyword IS NOT NULL AND received.customer_id IS NOT NULL THEN
            PERFORM record_keyword_events(received);
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
